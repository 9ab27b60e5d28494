from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parvis.accounts.access import workspace_view
from parvis.channels.selectors import channels_of


@workspace_view()
def channel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "channels/list.html",
        {"active_nav": "settings", "channels": channels_of(workspace=request.workspace)},
    )
