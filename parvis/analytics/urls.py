from django.urls import path

from parvis.analytics import views

app_name = "analytics"

urlpatterns = [
    path(
        "w/<slug:workspace>/analytics/posts/<int:post_id>/figures/",
        views.post_figures,
        name="post_figures",
    ),
    path(
        "w/<slug:workspace>/analytics/channels/figures/",
        views.channel_figures,
        name="channel_figures",
    ),
]
