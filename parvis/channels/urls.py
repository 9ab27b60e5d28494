from django.urls import path

from parvis.channels import views

app_name = "channels"

urlpatterns = [
    # The redirect address each network's app registers (one for the installation).
    path("connect/callback/<slug:network>/", views.oauth_callback, name="oauth_callback"),
    path("w/<slug:workspace>/channels/", views.channel_list, name="list"),
    path("w/<slug:workspace>/channels/connect/", views.connect_pick, name="connect"),
    path(
        "w/<slug:workspace>/channels/connect/<slug:network>/",
        views.connect_network,
        name="connect_network",
    ),
    path(
        "w/<slug:workspace>/channels/callback/<slug:network>/",
        views.connect_callback,
        name="callback",
    ),
    path(
        "w/<slug:workspace>/channels/<int:channel_id>/check/",
        views.channel_check,
        name="check",
    ),
    path(
        "w/<slug:workspace>/channels/<int:channel_id>/reconnect/",
        views.channel_reconnect,
        name="reconnect",
    ),
    path(
        "w/<slug:workspace>/channels/<int:channel_id>/simulate-expiry/",
        views.channel_simulate_expiry,
        name="simulate_expiry",
    ),
    path(
        "w/<slug:workspace>/channels/<int:channel_id>/disconnect/",
        views.channel_disconnect_view,
        name="disconnect",
    ),
]
