from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "parvis.web"
    label = "web"

    def ready(self) -> None:
        from parvis.web import checks  # noqa: F401  (registers the system checks)
