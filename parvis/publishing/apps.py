from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "parvis.publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        from parvis.channels.signals import channel_reconnected
        from parvis.publishing.resuming import deliveries_resume

        def resume(sender, channel, **kwargs) -> None:
            deliveries_resume(channel=channel)

        channel_reconnected.connect(resume, weak=False, dispatch_uid="publishing.resume")
