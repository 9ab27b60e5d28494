from django.urls import path

from parvis.publishing import views

app_name = "publishing"

urlpatterns = [
    path("w/<slug:workspace>/compose/", views.compose, name="compose"),
    path("w/<slug:workspace>/compose/check/", views.compose_check, name="compose_check"),
]
