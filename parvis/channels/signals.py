"""What channels tell the rest of Parvis, without knowing who listens."""

from django.dispatch import Signal

# Sent after the commit that reconnected a channel (kwargs: channel).
channel_reconnected = Signal()
