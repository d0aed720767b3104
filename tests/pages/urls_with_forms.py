"""The site's URLs plus stand-ins for the tip-off form, the firm lookup and the red-flag
checker, so the links to them can be tested before those apps are merged."""

from django.http import HttpResponse
from django.urls import include, path

from website.urls import urlpatterns as site_urlpatterns


def stand_in(request):
    return HttpResponse("stand-in")


urlpatterns = [
    path("report/", include(([path("", stand_in, name="new")], "tipoffs"))),
    path("lookup/", include(([path("", stand_in, name="lookup")], "firms"))),
    path("check/", include(([path("", stand_in, name="check")], "redflags"))),
    *site_urlpatterns,
]
