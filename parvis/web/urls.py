from django.urls import path

from parvis.web import dashboards, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:workspace>/", views.workspace_home, name="workspace"),
    path("w/<slug:workspace>/calendar/", views.calendar, name="calendar"),
    path("w/<slug:workspace>/calendar/events/", views.calendar_events, name="calendar_events"),
    path("w/<slug:workspace>/calendar/mix/", views.calendar_mix, name="calendar_mix"),
    path(
        "w/<slug:workspace>/calendar/posts/<int:post_id>/move/",
        views.calendar_move,
        name="calendar_move",
    ),
    path("w/<slug:workspace>/analytics/", dashboards.analytics_overview, name="analytics"),
    path(
        "w/<slug:workspace>/analytics/channel/<int:channel_id>/",
        dashboards.analytics_channel,
        name="analytics_channel",
    ),
    path(
        "w/<slug:workspace>/analytics/post/<int:post_id>/",
        dashboards.analytics_post,
        name="analytics_post",
    ),
    path(
        "w/<slug:workspace>/analytics/campaign/<int:campaign_id>/",
        dashboards.analytics_campaign,
        name="analytics_campaign",
    ),
    path(
        "w/<slug:workspace>/analytics/pillar/<int:pillar_id>/",
        dashboards.analytics_pillar,
        name="analytics_pillar",
    ),
    path("w/<slug:workspace>/settings/", views.settings_home, name="settings"),
]
