"""How each real network shows a post in its feed: the facts behind the composer's previews.

A network (real or Sandbox) points its ``display`` at one of these. The figures are
the feeds' own folds, as documented or measured in November 2026:

- Instagram shows the first three lines of a caption and recommends 125 characters
  or fewer "to display in feed" (help.instagram.com/1643471055915254).
- Facebook folds a post behind "See more" after about 477-480 characters on desktop
  (bulkpublish.com/blog/facebook-character-limit, posthell.com/tools/facebook-character-counter),
  and after about five lines.
- LinkedIn folds after about 210 characters, three lines on mobile
  (web-3-apps.com/char-counter/articles/linkedin-post-length,
  boltpost.app/linkedin-see-more-preview.html).
- X shows a post whole (280 weighted characters); every link counts 23 characters (t.co)
  and is shown without its scheme, cut with "…" (twitter-text's ``display_url``).
- Bluesky (300 graphemes), Mastodon (500 characters) and Threads (500 characters) show
  the whole post in their feeds.
"""

from __future__ import annotations

from parvis.networks.base import FeedDisplay

X = FeedDisplay(family="x", label="X", link_display_length=23)
FACEBOOK = FeedDisplay(family="facebook", label="Facebook", fold_characters=480, fold_lines=5)
INSTAGRAM = FeedDisplay(family="instagram", label="Instagram", fold_characters=125, fold_lines=3)
LINKEDIN = FeedDisplay(family="linkedin", label="LinkedIn", fold_characters=210, fold_lines=3)
BLUESKY = FeedDisplay(family="bluesky", label="Bluesky")
MASTODON = FeedDisplay(family="mastodon", label="Mastodon")
THREADS = FeedDisplay(family="threads", label="Threads")

ALL = {d.family: d for d in (X, FACEBOOK, INSTAGRAM, LINKEDIN, BLUESKY, MASTODON, THREADS)}
