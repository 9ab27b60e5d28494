from django.urls import path

from parvis.channels import views

app_name = "channels"

urlpatterns = [
    path("w/<slug:workspace>/channels/", views.channel_list, name="list"),
]
