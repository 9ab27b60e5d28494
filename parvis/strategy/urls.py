from django.urls import path

from parvis.strategy import views

app_name = "strategy"

urlpatterns = [
    path("w/<slug:workspace>/campaigns/", views.campaign_list, name="campaigns"),
    path("w/<slug:workspace>/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("w/<slug:workspace>/campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path(
        "w/<slug:workspace>/campaigns/<int:campaign_id>/edit/",
        views.campaign_edit,
        name="campaign_edit",
    ),
    path(
        "w/<slug:workspace>/campaigns/<int:campaign_id>/archive/",
        views.campaign_archive,
        name="campaign_archive",
    ),
]
