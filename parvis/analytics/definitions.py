"""What each figure means, in the words shown beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    name: str
    label: str | Promise
    explanation: str | Promise


DEFINITIONS = {
    d.name: d
    for d in (
        Definition(
            "followers",
            _("Followers"),
            _("People who follow the account (on Facebook, the Page's followers)."),
        ),
        Definition(
            "views",
            _("Views"),
            _(
                "How many times the post was shown, counting each time the same person saw "
                "it (what networks used to call impressions)."
            ),
        ),
        Definition(
            "reach",
            _("Reach"),
            _("How many different accounts saw the post at least once."),
        ),
        Definition("likes", _("Likes"), _("Likes and reactions to the post.")),
        Definition("comments", _("Comments"), _("Comments and replies under the post.")),
        Definition("shares", _("Shares"), _("Shares and reposts of the post.")),
        Definition("saves", _("Saves"), _("Times people saved or bookmarked the post.")),
        Definition(
            "clicks", _("Clicks"), _("Clicks on the post's link, as the network counts them.")
        ),
        Definition(
            "engagements",
            _("Engagements"),
            _("All the interactions with the post together, as the network counts them."),
        ),
        Definition("quotes", _("Quotes"), _("Posts quoting this one (X).")),
    )
}

# The order figures are shown in; names outside it come after, as the network named them.
ORDER = tuple(DEFINITIONS)


def definition(name: str) -> Definition:
    return DEFINITIONS.get(name) or Definition(name, name.replace("_", " ").capitalize(), "")
