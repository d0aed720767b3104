from django.urls import path, re_path

from website.embeds import oembed, views

app_name = "embeds"

urlpatterns = [
    path("embed/notices/", views.notices, name="notices"),
    path("embed/kiosk/", views.kiosk, name="kiosk"),
    path("embed/page/<int:page_id>/", views.page_card, name="page"),
    # Page types with ``embed_routes`` (the quiz) answer here through their own routes, so
    # which paths exist under /embed/quiz/<id>/ is the page type's business, not this file's.
    re_path(
        r"^embed/(?P<widget>[a-z]{1,20})/(?P<page_id>[0-9]+)/(?P<subpath>(?:[^/]+/)*)$",
        views.routable,
        name="routable",
    ),
    # The spec's examples have no trailing slash; consumers differ, so both answer.
    re_path(r"^oembed/?$", oembed.oembed, name="oembed"),
]
