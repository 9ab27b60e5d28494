from django.urls import path

from parvis.publishing import media_views, public_media, snippet_views, views

app_name = "publishing"

urlpatterns = [
    path("w/<slug:workspace>/compose/", views.compose, name="compose"),
    path("w/<slug:workspace>/compose/check/", views.compose_check, name="compose_check"),
    path("w/<slug:workspace>/compose/autosave/", views.compose_autosave, name="compose_autosave"),
    path(
        "w/<slug:workspace>/compose/thread-part/",
        views.compose_thread_part,
        name="compose_thread_part",
    ),
    path("w/<slug:workspace>/compose/media/", media_views.compose_media, name="compose_media"),
    path("w/<slug:workspace>/media/", media_views.library, name="media"),
    path("media/public/<str:token>/", public_media.media_public, name="media_public"),
    path(
        "w/<slug:workspace>/media/<int:asset_id>/describe/",
        media_views.describe,
        name="media_describe",
    ),
    path(
        "w/<slug:workspace>/media/<int:asset_id>/delete/", media_views.delete, name="media_delete"
    ),
    path("w/<slug:workspace>/media/<int:asset_id>/file/", media_views.file, name="media_file"),
    path(
        "w/<slug:workspace>/media/<int:asset_id>/thumbnail/",
        media_views.thumbnail,
        name="media_thumbnail",
    ),
    path("w/<slug:workspace>/posts/review/", views.review_queue, name="review_queue"),
    path("w/<slug:workspace>/posts/<int:post_id>/", views.post_detail, name="post"),
    path("w/<slug:workspace>/posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("w/<slug:workspace>/posts/<int:post_id>/submit/", views.post_submit, name="post_submit"),
    path("w/<slug:workspace>/posts/<int:post_id>/review/", views.post_review, name="post_review"),
    path(
        "w/<slug:workspace>/posts/<int:post_id>/unschedule/",
        views.post_unschedule,
        name="post_unschedule",
    ),
    path(
        "w/<slug:workspace>/posts/<int:post_id>/stop-repeating/",
        views.post_stop_repeating,
        name="post_stop_repeating",
    ),
    path("w/<slug:workspace>/settings/queue/", views.queue_settings, name="queue_settings"),
    path(
        "w/<slug:workspace>/settings/queue/<int:slot_id>/remove/",
        views.queue_slot_remove,
        name="queue_slot_remove",
    ),
    path(
        "w/<slug:workspace>/settings/snippets/",
        snippet_views.snippet_settings,
        name="snippet_settings",
    ),
    path(
        "w/<slug:workspace>/settings/snippets/<int:snippet_id>/",
        snippet_views.snippet_edit,
        name="snippet_edit",
    ),
    path(
        "w/<slug:workspace>/settings/snippets/<int:snippet_id>/delete/",
        snippet_views.snippet_delete,
        name="snippet_delete",
    ),
]
