from django.urls import path

from parvis.analytics import views
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
    path("w/<slug:workspace>/reports/", reports.reports_page, name="reports"),
    path("w/<slug:workspace>/reports/pdf/", reports.report_download, name="report_pdf"),
    path("w/<slug:workspace>/reports/schedules/", reports.schedule_add, name="schedule_add"),
    path(
        "w/<slug:workspace>/reports/schedules/<int:schedule_id>/delete/",
        reports.schedule_delete,
        name="schedule_delete",
    ),
]
