"""Accounts pages: login, language, profile, members, invitations, workspace settings."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts import actions
from parvis.accounts.access import workspace_view
from parvis.accounts.forms import (
    InvitationForm,
    JoinForm,
    NewWorkspaceForm,
    PasswordChangeForm,
    ProfileForm,
    RoleForm,
    WorkspaceForm,
)
from parvis.accounts.logos import LogoRejected
from parvis.accounts.models import Invitation, User
from parvis.accounts.roles import ROLE_HELP, Role
from parvis.accounts.selectors import members_of, pending_invitations_of
from parvis.core.exports import csv_response, wants_csv


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language: kept on the user (if logged in) and in a cookie."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            actions.user_set_language(user=request.user, language=language)
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 86400
        )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    profile_form = ProfileForm(instance=request.user)
    password_form = PasswordChangeForm(request.user)
    if request.method == "POST" and "change_password" in request.POST:
        password_form = PasswordChangeForm(request.user, request.POST)
        if password_form.is_valid():
            update_session_auth_hash(request, password_form.save())
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    elif request.method == "POST":
        profile_form = ProfileForm(request.POST, instance=request.user)
        if profile_form.is_valid():
            user = profile_form.save()
            if user.language:
                translation.activate(user.language)
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"profile_form": profile_form, "password_form": password_form},
        status=400 if request.method == "POST" else 200,
    )


def _members_page(request: HttpRequest, form: InvitationForm | None = None, status: int = 200):
    membership = request.membership
    manage = membership.can("member.manage")
    return render(
        request,
        "accounts/members.html",
        {
            "active_nav": "settings",
            "members": members_of(workspace=request.workspace),
            "invitations": pending_invitations_of(workspace=request.workspace),
            "can_manage": manage,
            "form": form or (InvitationForm(acting_role=membership.role) if manage else None),
            "roles": [(role, ROLE_HELP[role]) for role in Role],
            "role_choices": Role.choices,
        },
        status=status,
    )


@workspace_view("workspace.view")
def members(request: HttpRequest) -> HttpResponse:
    if wants_csv(request):
        rows = (
            (m.user.full_name, m.user.email, m.get_role_display(), m.created_at)
            for m in members_of(workspace=request.workspace)
        )
        columns = [_("Name"), _("E-mail address"), _("Role"), _("Member since")]
        return csv_response(
            filename=_("members"), columns=columns, rows=rows, workspace=request.workspace
        )
    return _members_page(request)


@workspace_view("member.manage")
@require_POST
def member_invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST, acting_role=request.membership.role)
    if not form.is_valid():
        return _members_page(request, form, status=400)
    try:
        invitation = actions.invitation_create(
            acting=request.membership,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except actions.AccountsError as error:
        form.add_error("email", str(error))
        return _members_page(request, form, status=400)
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:members", workspace=request.workspace.slug)


def _invitation_or_404(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_object_or_404(request.workspace.invitations, pk=invitation_id)


def _back_to_members(request: HttpRequest, run: Callable[[], str]) -> HttpResponse:
    """Run an action: show its success message, or the rule it broke; back to the members."""
    try:
        messages.success(request, run())
    except actions.AccountsError as error:
        messages.error(request, str(error))
    return redirect("accounts:members", workspace=request.workspace.slug)


@workspace_view("member.manage")
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_id)

    def resend() -> str:
        actions.invitation_create(
            acting=request.membership, email=invitation.email, role=invitation.role
        )
        return _("Invitation sent again to %(email)s.") % {"email": invitation.email}

    return _back_to_members(request, resend)


@workspace_view("member.manage")
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_id)

    def revoke() -> str:
        actions.invitation_revoke(acting=request.membership, invitation=invitation)
        return _("Invitation to %(email)s revoked.") % {"email": invitation.email}

    return _back_to_members(request, revoke)


@workspace_view("member.manage")
@require_POST
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(request.workspace.memberships, pk=membership_id)
    form = RoleForm(request.POST)

    def change() -> str:
        if not form.is_valid():
            raise actions.AccountsError(_("Choose a role from the list."))
        actions.membership_change_role(
            acting=request.membership, membership=membership, role=form.cleaned_data["role"]
        )
        return _("Role of %(name)s changed.") % {"name": membership.user}

    return _back_to_members(request, change)


@workspace_view("member.manage")
@require_POST
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(request.workspace.memberships, pk=membership_id)

    def remove() -> str:
        actions.membership_remove(acting=request.membership, membership=membership)
        return _("%(name)s was removed.") % {"name": membership.user}

    return _back_to_members(request, remove)


@workspace_view("workspace.view")
@require_POST
def workspace_leave(request: HttpRequest) -> HttpResponse:
    try:
        actions.membership_remove(acting=request.membership, membership=request.membership)
    except actions.AccountsError as error:
        messages.error(request, str(error))
        return redirect("accounts:members", workspace=request.workspace.slug)
    messages.success(request, _("You left %(name)s.") % {"name": request.workspace.name})
    return redirect("web:home")


@workspace_view("workspace.settings")
def workspace_settings(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None, instance=request.workspace)
    if request.method == "POST" and form.is_valid():
        actions.workspace_update(acting=request.membership, **form.cleaned_data)
        messages.success(request, _("Workspace settings saved."))
        return redirect("accounts:workspace_settings", workspace=request.workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/workspace_settings.html",
        {"active_nav": "settings", "form": form, "new_form": NewWorkspaceForm()},
        status=status,
    )


@workspace_view("workspace.settings")
@require_POST
def workspace_logo(request: HttpRequest) -> HttpResponse:
    """Upload a new logo, or remove it ("remove" in the form)."""
    back = redirect("accounts:workspace_settings", workspace=request.workspace.slug)
    if request.POST.get("remove"):
        actions.workspace_logo_remove(acting=request.membership)
        messages.success(request, _("Logo removed."))
        return back
    upload = request.FILES.get("logo")
    if upload is None:
        messages.error(request, _("Choose an image file for the logo, then upload it."))
        return back
    try:
        actions.workspace_logo_set(acting=request.membership, file=upload, size=upload.size)
    except LogoRejected as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Logo saved: it shows in the menu bar and on reports."))
    return back


@workspace_view()
def workspace_logo_file(request: HttpRequest) -> FileResponse:
    """The logo itself, for the workspace's members only."""
    logo = request.workspace.logo
    if not logo:
        raise Http404(_("This workspace has no logo."))
    try:
        handle = logo.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("This workspace has no logo.")) from error
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@workspace_view("workspace.settings")
@require_POST
def workspace_new(request: HttpRequest) -> HttpResponse:
    """A new brand in the same organisation; its creator becomes its owner."""
    form = NewWorkspaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new workspace a name."))
        return redirect("accounts:workspace_settings", workspace=request.workspace.slug)
    workspace = actions.workspace_create(
        organisation=request.workspace.organisation,
        name=form.cleaned_data["name"],
        owner=request.user,
        language=form.cleaned_data["language"],
    )
    messages.success(request, _("Workspace %(name)s created.") % {"name": workspace.name})
    return redirect("web:calendar", workspace=workspace.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email."""
    invitation = Invitation.objects.select_related("workspace").filter(token=token).first()
    if invitation is None or not invitation.is_pending:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated or existing is not None:
        if not request.user.is_authenticated:
            messages.info(
                request, _("Log in to join %(name)s.") % {"name": invitation.workspace.name}
            )
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            actions.invitation_accept(invitation=invitation, user=request.user)
        except actions.AccountsError as error:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"invitation": invitation, "reason": str(error)},
                status=403,
            )
        messages.success(request, _("Welcome to %(name)s!") % {"name": invitation.workspace.name})
        return redirect("web:calendar", workspace=invitation.workspace.slug)
    form = JoinForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            invitation.email,
            form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        actions.invitation_accept(invitation=invitation, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s!") % {"name": invitation.workspace.name})
        return redirect("web:calendar", workspace=invitation.workspace.slug)
    return render(
        request,
        "accounts/invitation_join.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
