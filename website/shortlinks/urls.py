from django.urls import re_path

from website.shortlinks import views

app_name = "shortlinks"
urlpatterns = [
    # Anything after /s/ reaches the view, which answers 404 for what it did not issue.
    re_path(r"^s/(?P<code>[^/]+)/?$", views.follow, name="follow"),
]
