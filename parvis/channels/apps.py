from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "parvis.channels"
    label = "channels"
