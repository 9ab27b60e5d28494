from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "parvis.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from parvis.analytics.actions import collections_ensure, collections_resume
        from parvis.analytics.collecting import COLLECTIONS_EVERY_SECONDS
        from parvis.analytics.reports.actions import ENSURE_EVERY_SECONDS, sendings_ensure
        from parvis.channels.signals import channel_reconnected
        from parvis.engine import periodic

        periodic.register("analytics.collections", COLLECTIONS_EVERY_SECONDS, collections_ensure)
        periodic.register("analytics.reports", ENSURE_EVERY_SECONDS, sendings_ensure)

        def resume(sender, channel, **kwargs) -> None:
            collections_resume(channel=channel)

        channel_reconnected.connect(resume, weak=False, dispatch_uid="analytics.resume")
