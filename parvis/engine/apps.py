from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "parvis.engine"
    label = "engine"
