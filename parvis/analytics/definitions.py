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

# Figures computed from the networks' ones (dashboards.py); docs/analytics.md gives
# the same formulas.
RATES = {
    d.name: d
    for d in (
        Definition(
            "engagement_rate_reach",
            _("Engagement rate by reach"),
            _(
                "Engagements divided by reach: the share of the people who saw the posts who "
                "interacted with them."
            ),
        ),
        Definition(
            "engagement_rate_followers",
            _("Engagement rate by followers"),
            _(
                "Engagements divided by the followers at the end of the period: how much of "
                "the audience interacted, whether the network showed them the posts or not."
            ),
        ),
        Definition(
            "views_per_reach",
            _("Views per person reached"),
            _(
                "Views divided by reach: how many times, on average, each person who saw a "
                "post saw it (reach counts people, views count every time it was shown)."
            ),
        ),
        Definition(
            "follower_growth",
            _("Follower growth"),
            _("Followers at the end of the period minus followers at its start."),
        ),
        Definition(
            "follower_growth_rate",
            _("Follower growth rate"),
            _("The change in followers divided by the followers at the start of the period."),
        ),
        Definition(
            "click_through_rate",
            _("Click-through rate"),
            _(
                "Clicks divided by views: the share of the times a post was shown that led "
                "to a click on its link (the networks' own click counts)."
            ),
        ),
        Definition(
            "short_link_clicks",
            _("Short-link clicks"),
            _(
                "People's clicks on the posts' Parvis short links, counted by Parvis itself "
                "per day in the workspace's time zone (robots and link previews left out)."
            ),
        ),
        Definition(
            "short_link_click_through_rate",
            _("Short-link click-through rate"),
            _(
                "Short-link clicks divided by views: the share of the times the posts were "
                "shown that led to a click counted by Parvis."
            ),
        ),
        Definition(
            "response_rate",
            _("Response rate"),
            _(
                "Conversations waiting for the brand that got an answer, divided by those "
                "that needed one (the inbox's definition)."
            ),
        ),
        Definition(
            "response_time",
            _("First response time"),
            _(
                "The median time from a person's first message to the brand's first answer, "
                "nights and weekends included (the inbox's definition)."
            ),
        ),
    )
}

# The order figures are shown in; names outside it come after, as the network named them.
ORDER = tuple(DEFINITIONS)


def definition(name: str) -> Definition:
    return (
        DEFINITIONS.get(name)
        or RATES.get(name)
        or Definition(name, name.replace("_", " ").capitalize(), "")
    )
