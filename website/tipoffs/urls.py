"""Public tip-off URLs, mounted at ``/report/`` (namespace ``tipoffs``)."""

from django.urls import path

from website.tipoffs import views

app_name = "tipoffs"

urlpatterns = [
    path("", views.new, name="new"),
    path("done/", views.done, name="done"),
    path("phone/", views.confirm_phone, name="phone"),
    path("status/", views.status, name="status"),
]
