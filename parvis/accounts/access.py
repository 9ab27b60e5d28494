"""Who may see which workspace: the decorator every workspace view wears.

A workspace view takes the workspace's slug from its URL. A user who is not a
member gets 404 (the workspace's existence is not revealed); a member whose
role lacks the permission gets 403 with a readable reason.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import Membership, User

View = Callable[..., HttpResponse]


def membership_or_404(user: User, workspace_slug: str) -> Membership:
    membership = (
        Membership.objects.select_related("workspace", "workspace__organisation")
        .filter(user=user, workspace__slug=workspace_slug)
        .first()
    )
    if membership is None:
        raise Http404(_("No such workspace."))
    return membership


def workspace_view(permission: str = "workspace.view") -> Callable[[View], View]:
    """Resolve ``workspace`` from the URL, check membership and permission.

    Sets ``request.workspace`` and ``request.membership`` and activates the
    workspace's time zone for the request.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, workspace: str, *args, **kwargs) -> HttpResponse:
            membership = membership_or_404(request.user, workspace)
            if not membership.can(permission):
                raise PermissionDenied(
                    _("Your role in this workspace (%(role)s) does not allow this.")
                    % {"role": membership.get_role_display()}
                )
            request.workspace = membership.workspace
            request.membership = membership
            timezone.activate(ZoneInfo(membership.workspace.time_zone))
            if request.user.last_workspace_id != membership.workspace_id:
                request.user.last_workspace = membership.workspace
                request.user.save(update_fields=["last_workspace"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
