from django.urls import path

from website.redflags import views

app_name = "redflags"

urlpatterns = [path("check/", views.check, name="check")]
