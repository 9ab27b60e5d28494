from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "parvis.channels"
    label = "channels"

    def ready(self) -> None:
        from parvis.channels.refreshing import REFRESH_EVERY_SECONDS, credentials_refresh_due
        from parvis.engine import periodic

        periodic.register("channels.refresh_tokens", REFRESH_EVERY_SECONDS, credentials_refresh_due)
