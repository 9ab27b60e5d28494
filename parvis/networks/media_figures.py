"""Each network's official media figures, one ``MediaRules`` per network.

The connectors (and the Sandbox flavours, which imitate them) take their rules from
here. Each block cites the page its figures come from; check it when a network
changes its rules. MB here is the networks' own: 1 MB = 1024 * 1024 bytes.
"""

from __future__ import annotations

from parvis.networks.base import MediaRules

MB = 1024 * 1024
_JPEG_PNG = frozenset({"image/jpeg", "image/png"})
_COMMON_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_MP4_MOV = frozenset({"video/mp4", "video/quicktime"})

# X: up to 4 photos, 1 animated GIF or 1 video; images 5 MB, GIF 15 MB, video 512 MB,
# 0.5 s to 140 s, aspect 1:3 to 3:1; alt text 1,000 characters.
# https://docs.x.com/x-api/media/quickstart/best-practices
# https://docs.x.com/x-api/media/introduction
X_MEDIA_RULES = MediaRules(
    image_types=_COMMON_IMAGES,
    video_types=_MP4_MOV,
    max_image_bytes=5 * MB,
    max_gif_bytes=15 * MB,
    max_video_bytes=512 * MB,
    max_videos=1,
    min_width=4,
    max_width=8192,
    video_aspect=((1, 3), (3, 1)),
    min_duration_s=0.5,
    max_duration_s=140,
    mix=False,
    gif_alone=True,
    max_alt_text=1000,
)

# Instagram (content publishing API): images JPEG only, 8 MB, 320 to 1440 px wide,
# aspect 4:5 to 1.91:1; Reels MOV/MP4, 3 s to 15 min, 300 MB, aspect up to 9:16
# (0.01:1 to 10:1 accepted); carousels of up to 10 images and videos mixed.
# https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
INSTAGRAM_MEDIA_RULES = MediaRules(
    image_types=frozenset({"image/jpeg"}),
    video_types=_MP4_MOV,
    max_image_bytes=8 * MB,
    max_video_bytes=300 * MB,
    max_videos=10,
    min_width=320,
    max_width=1440,
    image_aspect=((4, 5), (1.91, 1)),
    video_aspect=((1, 100), (10, 1)),
    min_duration_s=3,
    max_duration_s=15 * 60,
    mix=True,
    max_alt_text=1000,
)

# Facebook Pages: photos JPEG, PNG, GIF, BMP, TIFF up to 4 MB (several photos in one
# post, no video among them); one video per post, up to 10 GB and 240 minutes.
# https://developers.facebook.com/docs/graph-api/reference/page/photos/
# https://developers.facebook.com/docs/video-api/guides/publishing
FACEBOOK_MEDIA_RULES = MediaRules(
    image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"}),
    video_types=_MP4_MOV,
    max_image_bytes=4 * MB,
    max_video_bytes=10 * 1024 * MB,
    max_videos=1,
    max_duration_s=240 * 60,
    mix=False,
)

# Bluesky: up to 4 images of 1,000,000 bytes (JPEG, PNG, WebP) or 1 MP4 video of
# 100 MB and 3 minutes; alt text 2,000 characters.
# https://docs.bsky.app/docs/advanced-guides/posts
# https://docs.bsky.app/docs/tutorials/video
BLUESKY_MEDIA_RULES = MediaRules(
    image_types=frozenset({"image/jpeg", "image/png", "image/webp"}),
    video_types=frozenset({"video/mp4"}),
    max_image_bytes=1_000_000,
    max_video_bytes=100_000_000,
    max_videos=1,
    max_duration_s=180,
    mix=False,
    max_alt_text=2000,
)

# Mastodon (defaults of a mastodon.social-like server, given by its
# /api/v2/instance): 4 attachments, images 16 MB, videos 99 MB, no mixing images and
# a video; descriptions 1,500 characters.
# https://docs.joinmastodon.org/user/posting/#attachments
# https://docs.joinmastodon.org/methods/media/
MASTODON_MEDIA_RULES = MediaRules(
    image_types=_COMMON_IMAGES,
    video_types=frozenset({"video/mp4", "video/quicktime", "video/webm"}),
    max_image_bytes=16 * MB,
    max_video_bytes=99 * MB,
    max_videos=1,
    mix=False,
    max_alt_text=1500,
)

# Threads: images JPEG or PNG, 8 MB, 320 to 1440 px wide, aspect up to 10:1; videos
# MOV/MP4, 1 GB, up to 5 minutes; carousels of up to 20 images and videos mixed;
# alt text 1,000 characters.
# https://developers.facebook.com/docs/threads/overview#media-specifications
THREADS_MEDIA_RULES = MediaRules(
    image_types=_JPEG_PNG,
    video_types=_MP4_MOV,
    max_image_bytes=8 * MB,
    max_video_bytes=1024 * MB,
    max_videos=20,
    min_width=320,
    max_width=1440,
    image_aspect=((1, 10), (10, 1)),
    video_aspect=((1, 10), (10, 1)),
    max_duration_s=5 * 60,
    mix=True,
    max_alt_text=1000,
)

# LinkedIn (Posts API): images JPEG, PNG, GIF up to 36,152,320 pixels; one video
# (MP4, 75 KB to 500 MB, 3 s to 30 min) and no images with it; alt text 4,086 characters.
# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api
LINKEDIN_MEDIA_RULES = MediaRules(
    image_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
    video_types=frozenset({"video/mp4"}),
    max_video_bytes=500 * MB,
    max_videos=1,
    min_duration_s=3,
    max_duration_s=30 * 60,
    mix=False,
    max_alt_text=4086,
)
