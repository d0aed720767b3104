"""Admin URLs of the 短信 menu, mounted under /admin/sms/ by the register_admin_urls hook."""

from django.urls import path

from campaigns.sms import admin_subscribers as people
from campaigns.sms import admin_views as views

app_name = "campaigns_admin"

urlpatterns = [
    path("blasts/", views.BlastIndexView.as_view(), name="blasts"),
    path(
        "blasts/results/",
        views.BlastIndexView.as_view(results_only=True),
        name="blasts_results",
    ),
    path("blasts/new/", views.BlastCreateView.as_view(), name="blast_create"),
    path("blasts/count/", views.BlastCountView.as_view(), name="blast_count"),
    path("blasts/<int:pk>/", views.BlastDetailView.as_view(), name="blast_detail"),
    path("blasts/<int:pk>/edit/", views.BlastEditView.as_view(), name="blast_edit"),
    path("blasts/<int:pk>/preview/", views.BlastPreviewView.as_view(), name="blast_preview"),
    path("blasts/<int:pk>/progress/", views.BlastProgressView.as_view(), name="blast_progress"),
    path("blasts/<int:pk>/trial-send/", views.blast_trial_send, name="blast_trial_send"),
    path(
        "blasts/<int:pk>/<slug:action>/",
        views.blast_action,
        name="blast_action",
    ),
    path("subscribers/", people.SubscriberIndexView.as_view(), name="subscribers"),
    path(
        "subscribers/results/",
        people.SubscriberIndexView.as_view(results_only=True),
        name="subscribers_results",
    ),
    path(
        "subscribers/export.csv",
        people.SubscriberExportView.as_view(),
        name="subscribers_export",
    ),
    path(
        "subscribers/<int:pk>/",
        people.SubscriberDetailView.as_view(),
        name="subscriber_detail",
    ),
    path("alerts/", people.AlertIndexView.as_view(), name="alerts"),
    path(
        "alerts/results/",
        people.AlertIndexView.as_view(results_only=True),
        name="alerts_results",
    ),
    path("alerts/<int:pk>/resolve/", people.resolve_alert, name="alert_resolve"),
]
