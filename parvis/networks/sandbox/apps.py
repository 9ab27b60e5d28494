from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "parvis.networks.sandbox"
    label = "sandbox"
    verbose_name = _("Sandbox network")

    def ready(self) -> None:
        from django.conf import settings

        from parvis.engine import periodic
        from parvis.networks.sandbox.audience import simulate_audience

        periodic.register(
            "sandbox.audience", settings.PARVIS_SANDBOX_AUDIENCE_SECONDS, simulate_audience
        )
