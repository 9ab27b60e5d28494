"""Channels: list, connect (form or OAuth redirect), reconnect, check, disconnect."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.channels.actions import channel_connect, channel_disconnect, channel_record_health
from parvis.channels.selectors import channel_of_or_404, channel_ref, channels_of
from parvis.networks import registry
from parvis.networks.base import ConnectStart, Network, NetworkError

SESSION_STATE = "parvis.connect.{network}"
SESSION_WORKSPACE = "parvis.connect.{network}.workspace"


def _network_or_404(key: str) -> Network:
    try:
        return registry.get(key)
    except registry.UnknownNetwork:
        raise Http404(_("No such network.")) from None


def _list_url(request: HttpRequest) -> str:
    return reverse("channels:list", kwargs={"workspace": request.workspace.slug})


def _callback_uri(request: HttpRequest, network: Network) -> str:
    """Where the network sends people back: one address per network for the whole
    installation (the one registered in the network's app), whatever the workspace."""
    path = reverse("channels:oauth_callback", kwargs={"network": network.key})
    return request.build_absolute_uri(path)


@workspace_view()
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = list(channels_of(workspace=request.workspace))
    for channel in channels:
        channel.network_info = _network_or_none(channel.network)
    return render(
        request,
        "channels/list.html",
        {
            "active_nav": "settings",
            "channels": channels,
            "can_manage": request.membership.can("channel.manage"),
        },
    )


def _network_or_none(key: str) -> Network | None:
    try:
        return registry.get(key)
    except registry.UnknownNetwork:
        return None


@workspace_view("channel.manage")
def connect_pick(request: HttpRequest) -> HttpResponse:
    networks = [(network, network.setup_problem()) for network in registry.all_networks()]
    return render(
        request, "channels/connect_pick.html", {"active_nav": "settings", "networks": networks}
    )


def _finish(
    request: HttpRequest, network: Network, params: dict[str, str], state: dict
) -> tuple[HttpResponse | None, str]:
    """Finish connecting; return (redirect, "") or (None, the reason it failed)."""
    try:
        accounts = async_to_sync(network.connect_finish)(
            params=params, state=state, redirect_uri=_callback_uri(request, network)
        )
    except NetworkError as error:
        return None, str(error.user_message)
    for account in accounts:
        channel_connect(
            workspace=request.workspace,
            network_key=network.key,
            account=account,
            acting_user=request.user,
        )
    names = ", ".join(a.name for a in accounts)
    messages.success(request, _("Connected: %(names)s.") % {"names": names})
    return redirect(_list_url(request)), ""


def _finish_or_back(
    request: HttpRequest, network: Network, params: dict[str, str], state: dict
) -> HttpResponse:
    """Finish connecting where there is no form to show again: errors go back to the list."""
    response, error = _finish(request, network, params, state)
    if response is None:
        messages.error(request, error)
        return redirect(_list_url(request))
    return response


def _setup_problem(request: HttpRequest, network: Network) -> HttpResponse | None:
    """Back to the list with the reason when this installation cannot connect it yet."""
    problem = network.setup_problem()
    if not problem:
        return None
    messages.error(request, str(problem))
    return redirect(_list_url(request))


def _redirect_to_consent(
    request: HttpRequest, network: Network, start: ConnectStart
) -> HttpResponse:
    request.session[SESSION_STATE.format(network=network.key)] = start.state
    request.session[SESSION_WORKSPACE.format(network=network.key)] = request.workspace.slug
    return redirect(start.authorize_url)


@login_required
def oauth_callback(request: HttpRequest, network: str) -> HttpResponse:
    """The address registered in the network's app: on to the workspace that began."""
    slug = request.session.get(SESSION_WORKSPACE.format(network=network))
    if not slug:
        messages.error(request, _("This connection attempt has expired: start again."))
        return redirect("/")
    target = reverse("channels:callback", kwargs={"workspace": slug, "network": network})
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target)


@workspace_view("channel.manage")
def connect_network(request: HttpRequest, network: str) -> HttpResponse:
    """Start connecting: a form (Sandbox) or a redirect to the network's consent page."""
    chosen = _network_or_404(network)
    if problem := _setup_problem(request, chosen):
        return problem
    start = chosen.connect_start(redirect_uri=_callback_uri(request, chosen))
    if start.authorize_url:
        return _redirect_to_consent(request, chosen, start)
    error, values = "", {}
    if request.method == "POST":
        values = {field: request.POST.get(field, "") for field in start.form_fields}
        response, error = _finish(request, chosen, values, start.state)
        if response is not None:
            return response
    return render(
        request,
        "channels/connect_form.html",
        {"active_nav": "settings", "network": chosen, "values": values, "error": error},
        status=400 if error else 200,
    )


@workspace_view("channel.manage")
def connect_callback(request: HttpRequest, network: str) -> HttpResponse:
    """The network sends the person back here after its consent page."""
    chosen = _network_or_404(network)
    state = request.session.pop(SESSION_STATE.format(network=chosen.key), None)
    if state is None:
        messages.error(request, _("This connection attempt has expired: start again."))
        return redirect(_list_url(request))
    if request.GET.get("error"):
        messages.error(
            request,
            _("%(network)s did not grant access (%(reason)s). Nothing was connected.")
            % {
                "network": chosen.name,
                "reason": request.GET.get("error_description") or request.GET["error"],
            },
        )
        return redirect(_list_url(request))
    return _finish_or_back(request, chosen, dict(request.GET.items()), state)


@workspace_view("channel.manage")
@require_POST
def channel_reconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    network = _network_or_404(channel.network)
    if problem := _setup_problem(request, network):
        return problem
    start = network.connect_start(redirect_uri=_callback_uri(request, network))
    if start.authorize_url:
        return _redirect_to_consent(request, network, start)
    return _finish_or_back(request, network, {"external_id": channel.external_id}, start.state)


@workspace_view("channel.manage")
@require_POST
def channel_check(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    network = _network_or_404(channel.network)
    try:
        async_to_sync(network.check_health)(channel_ref(channel=channel))
        error = None
    except NetworkError as failure:
        error = failure
    channel_record_health(channel=channel, error=error)
    if request.htmx:
        channel.network_info = network
        return render(request, "channels/_row.html", {"channel": channel, "can_manage": True})
    return redirect(_list_url(request))


@workspace_view("channel.manage")
@require_POST
def channel_simulate_expiry(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Sandbox only: revoke the token on the simulated network, to try reconnecting."""
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    network = _network_or_404(channel.network)
    if not network.is_simulated:
        raise Http404(_("Only Sandbox channels can simulate an expired token."))
    network.simulate_revoked_token(channel.external_id)
    messages.info(
        request, _("The Sandbox revoked this channel's token. Check it, then reconnect it.")
    )
    return redirect(_list_url(request))


@workspace_view("channel.manage")
def channel_disconnect_view(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    if request.method == "POST":
        channel_disconnect(channel=channel, acting_user=request.user)
        messages.success(request, _("Disconnected: %(name)s.") % {"name": channel.name})
        return redirect(_list_url(request))
    return render(
        request, "channels/disconnect.html", {"active_nav": "settings", "channel": channel}
    )
