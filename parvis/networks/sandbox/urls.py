from django.urls import path

from parvis.networks.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("sandbox/<slug:network>/<slug:remote_id>/", views.post_page, name="post"),
    path(
        "sandbox/<slug:network>/<slug:remote_id>/media/<int:position>/",
        views.media_file,
        name="media",
    ),
]
