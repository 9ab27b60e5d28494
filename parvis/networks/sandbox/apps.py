from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "parvis.networks.sandbox"
    label = "sandbox"
