from django.urls import path

from parvis.links import views

app_name = "links"

urlpatterns = [
    path("w/<slug:workspace>/links/", views.link_list, name="list"),
    path("w/<slug:workspace>/links/<int:link_id>/", views.link_detail, name="detail"),
    path("w/<slug:workspace>/settings/bio/", views.bio_settings, name="bio_settings"),
    path(
        "w/<slug:workspace>/settings/bio/<int:bio_link_id>/edit/",
        views.bio_edit,
        name="bio_edit",
    ),
    path(
        "w/<slug:workspace>/settings/bio/<int:bio_link_id>/move/",
        views.bio_move,
        name="bio_move",
    ),
    path(
        "w/<slug:workspace>/settings/bio/<int:bio_link_id>/delete/",
        views.bio_delete,
        name="bio_delete",
    ),
    path("bio/<slug:slug>/", views.bio_page, name="bio"),
]
