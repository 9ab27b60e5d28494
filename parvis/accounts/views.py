from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.accounts.actions import user_set_language
from parvis.accounts.selectors import members_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language: kept on the user (if logged in) and in a cookie."""
    from django.conf import settings

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400)
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html")


@workspace_view("workspace.view")
def members(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/members.html",
        {"active_nav": "settings", "members": members_of(workspace=request.workspace)},
    )


@workspace_view("workspace.view")
def workspace_settings(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/workspace_settings.html", {"active_nav": "settings"})
