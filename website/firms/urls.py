from django.urls import path

from website.firms import views

app_name = "firms"

urlpatterns = [
    path("", views.lookup_page, name="lookup"),
]
