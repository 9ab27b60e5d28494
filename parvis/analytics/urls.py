from django.urls import path

from parvis.analytics import best_times_views, views
from parvis.analytics.reports import views as reports

app_name = "analytics"

urlpatterns = [
    path(
        "w/<slug:workspace>/analytics/posts/<int:post_id>/figures/",
        views.post_figures,
        name="post_figures",
    ),
    path(
        "w/<slug:workspace>/analytics/channels/figures/",
        views.channel_figures,
        name="channel_figures",
    ),
    path(
        "w/<slug:workspace>/analytics/best-times/",
        best_times_views.best_times_page,
        name="best_times",
    ),
    path(
        "w/<slug:workspace>/analytics/best-times/queue/<int:channel_id>/",
        best_times_views.queue_suggestion_fragment,
        name="queue_suggestion",
    ),
    path(
        "w/<slug:workspace>/analytics/best-times/queue/<int:channel_id>/use/",
        best_times_views.queue_suggest,
        name="queue_suggest",
    ),
    path("w/<slug:workspace>/reports/", reports.reports_page, name="reports"),
    path("w/<slug:workspace>/reports/pdf/", reports.report_download, name="report_pdf"),
    path("w/<slug:workspace>/reports/schedules/", reports.schedule_add, name="schedule_add"),
    path(
        "w/<slug:workspace>/reports/schedules/<int:schedule_id>/delete/",
        reports.schedule_delete,
        name="schedule_delete",
    ),
]
