from django.urls import path

from parvis.inbox import hooks

app_name = "inbox"

urlpatterns = [
    path("hooks/<str:network>/", hooks.webhook, name="webhook"),
]
