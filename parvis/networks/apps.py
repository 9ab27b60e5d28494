from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "parvis.networks"
    label = "networks"
