from django.urls import include, path

urlpatterns = [
    path("", include("parvis.accounts.urls")),
    path("", include("parvis.channels.urls")),
    path("", include("parvis.publishing.urls")),
    path("", include("parvis.strategy.urls")),
    path("", include("parvis.links.urls")),
    path("", include("parvis.analytics.urls")),
    path("", include("parvis.notifications.urls")),
    path("", include("parvis.inbox.urls")),
    path("", include("parvis.community.urls")),
    path("", include("parvis.networks.sandbox.urls")),
    path("", include("parvis.web.urls")),
]
