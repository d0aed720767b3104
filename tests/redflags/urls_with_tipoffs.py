"""The site's URLs plus a stand-in for the tip-off form (website.tipoffs is built beside the
checker): lets a test see the hand-over button as it renders once both are merged."""

from django.http import HttpResponse
from django.urls import include, path

from website.urls import urlpatterns as site_patterns

tipoff_patterns = ([path("report/new/", lambda request: HttpResponse(), name="new")], "tipoffs")

urlpatterns = [path("", include(tipoff_patterns)), *site_patterns]
