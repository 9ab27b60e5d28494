from django.urls import path

from parvis.strategy import goal_views, pillar_views, views

app_name = "strategy"

urlpatterns = [
    path("w/<slug:workspace>/campaigns/", views.campaign_list, name="campaigns"),
    path("w/<slug:workspace>/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("w/<slug:workspace>/campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path(
        "w/<slug:workspace>/campaigns/<int:campaign_id>/edit/",
        views.campaign_edit,
        name="campaign_edit",
    ),
    path(
        "w/<slug:workspace>/campaigns/<int:campaign_id>/archive/",
        views.campaign_archive,
        name="campaign_archive",
    ),
]

W = "w/<slug:workspace>/"

urlpatterns += [
    path(W + "goals/", goal_views.goal_list, name="goals"),
    path(W + "goals/new/", goal_views.goal_new, name="goal_new"),
    path(W + "goals/<int:goal_id>/edit/", goal_views.goal_edit, name="goal_edit"),
    path(W + "goals/<int:goal_id>/archive/", goal_views.goal_archive, name="goal_archive"),
    path(W + "pillars/", pillar_views.pillar_list, name="pillars"),
    path(W + "pillars/new/", pillar_views.pillar_new, name="pillar_new"),
    path(W + "pillars/<int:pillar_id>/edit/", pillar_views.pillar_edit, name="pillar_edit"),
    path(
        W + "pillars/<int:pillar_id>/archive/",
        pillar_views.pillar_archive,
        name="pillar_archive",
    ),
]
