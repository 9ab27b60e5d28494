from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from parvis.accounts import views

app_name = "accounts"

_reset = {
    "email_template_name": "accounts/email/password_reset.txt",
    "subject_template_name": "accounts/email/password_reset_subject.txt",
    "template_name": "accounts/password_reset.html",
    "success_url": reverse_lazy("accounts:password_reset_sent"),
}

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/language/", views.set_language, name="set_language"),
    path("accounts/me/", views.profile, name="profile"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(**_reset),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("accounts/invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("w/<slug:workspace>/members/", views.members, name="members"),
    path("w/<slug:workspace>/members/invite/", views.member_invite, name="invite"),
    path(
        "w/<slug:workspace>/members/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "w/<slug:workspace>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "w/<slug:workspace>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "w/<slug:workspace>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("w/<slug:workspace>/leave/", views.workspace_leave, name="leave"),
    path(
        "w/<slug:workspace>/settings/workspace/",
        views.workspace_settings,
        name="workspace_settings",
    ),
    path("w/<slug:workspace>/settings/logo/", views.workspace_logo, name="workspace_logo"),
    path("w/<slug:workspace>/logo/", views.workspace_logo_file, name="workspace_logo_file"),
    path("w/<slug:workspace>/new/", views.workspace_new, name="workspace_new"),
]
