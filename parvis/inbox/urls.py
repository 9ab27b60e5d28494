from django.urls import path

from parvis.inbox import hooks, responsiveness_views, saved_views, views

app_name = "inbox"

W = "w/<slug:workspace>/inbox/"
C = W + "<int:conversation_id>/"

urlpatterns = [
    path("hooks/<str:network>/", hooks.webhook, name="webhook"),
    path(W, views.inbox, name="list"),
    path(W + "bulk/", views.inbox_bulk, name="bulk"),
    path(W + "count/", views.inbox_count, name="count"),
    path(
        W + "responsiveness/",
        responsiveness_views.responsiveness_page,
        name="responsiveness",
    ),
    path(
        "w/<slug:workspace>/settings/saved-replies/",
        saved_views.saved_reply_settings,
        name="saved_replies",
    ),
    path(
        "w/<slug:workspace>/settings/saved-replies/<int:saved_id>/delete/",
        saved_views.saved_reply_delete,
        name="saved_reply_delete",
    ),
    path(C, views.conversation_page, name="conversation"),
    path(C + "live/", views.conversation_live, name="live"),
    path(C + "typing/", views.conversation_typing, name="typing"),
    path(C + "reply/", views.conversation_reply, name="reply"),
    path(C + "update/", views.conversation_update, name="update"),
    path(C + "note/", views.conversation_note, name="note"),
    path(
        C + "messages/<int:message_id>/<str:action>/",
        views.message_moderate,
        name="moderate",
    ),
]
