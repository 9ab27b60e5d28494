"""The Graph client for Instagram: Meta's core client, plus Instagram's own codes.

Instagram adds codes of its own to Graph's (https://developers.facebook.com/docs/
instagram-platform/instagram-graph-api/reference/error-codes): the publishing quota
(code 9, subcode 2207042) is a rate limit until the rolling 24 hours free a place; a
container not ready yet (9007, 2207027) is worth another try; -1 and -2 are
Instagram's own trouble.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.networks.base import NetworkError, RateLimited, TransientError
from parvis.networks.meta.errors import from_response, graph_error
from parvis.networks.meta.graph import GraphClient

QUOTA_SUBCODE = 2207042
NOT_READY_SUBCODE = 2207027
QUOTA_WAIT = timedelta(hours=1)  # Instagram does not say when a place frees


class InstagramGraph(GraphClient):
    def error_for(self, response: httpx.Response, *, write: bool) -> NetworkError:
        error = graph_error(response)
        if error.subcode == QUOTA_SUBCODE:
            return RateLimited(
                _(
                    "This Instagram account has reached the number of posts apps may "
                    "publish in 24 hours: Parvis tries again later."
                ),
                retry_at=timezone.now() + QUOTA_WAIT,
                scope="channel",
                detail=error.detail,
            )
        if error.subcode == NOT_READY_SUBCODE or error.code in (-1, -2):
            return TransientError(
                _("Instagram is not ready yet: Parvis will try again shortly."),
                detail=error.detail,
            )
        return from_response(response, network=self.network, write=write)
