"""A local server that behaves like Instagram's Graph API (see ``state.py``)."""
