from django.urls import path

from parvis.community import views

app_name = "community"

W = "w/<slug:workspace>/community/"
P = W + "<int:person_id>/"

urlpatterns = [
    path(W, views.community, name="list"),
    path(W + "merge/", views.people_merge, name="merge"),
    path(W + "segments/", views.segment_save, name="segment_save"),
    path(W + "segments/<int:segment_id>/delete/", views.segment_delete, name="segment_delete"),
    path(W + "authors/<int:author_id>/", views.author_profile, name="author"),
    path(P, views.person_page, name="person"),
    path(P + "update/", views.person_update, name="update"),
    path(P + "handles/<int:handle_id>/separate/", views.handle_separate, name="separate"),
    path(P + "export/", views.person_export, name="export"),
    path(P + "erase/", views.person_erase, name="erase"),
]
