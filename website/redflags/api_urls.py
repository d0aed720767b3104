"""/api/check/: mounted before the read-only API's catch-all (website.urls)."""

from django.urls import path

from website.redflags import views

urlpatterns = [path("", views.api_check, name="redflags_api_check")]
