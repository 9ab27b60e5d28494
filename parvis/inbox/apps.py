from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "parvis.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from parvis.channels.signals import channel_reconnected
        from parvis.engine import periodic
        from parvis.inbox.actions import (
            EVENTS_PRUNE_EVERY_SECONDS,
            POLLINGS_EVERY_SECONDS,
            events_prune,
            polling_resume,
            pollings_ensure,
        )

        periodic.register("inbox.pollings", POLLINGS_EVERY_SECONDS, pollings_ensure)
        periodic.register("inbox.events_prune", EVENTS_PRUNE_EVERY_SECONDS, events_prune)

        def resume(sender, channel, **kwargs) -> None:
            polling_resume(channel=channel)

        channel_reconnected.connect(resume, weak=False, dispatch_uid="inbox.resume")
