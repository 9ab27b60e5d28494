from django.contrib.auth import views as auth_views
from django.urls import path

from parvis.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("me/", views.profile, name="profile"),
    path("w/<slug:workspace>/members/", views.members, name="members"),
    path("w/<slug:workspace>/settings/", views.workspace_settings, name="workspace_settings"),
]
