from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from website.core import routing
from website.core import views as core_views
from website.search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    re_path(r"^mode/elder/(?P<state>on|off)/$", core_views.set_elder_mode, name="elder_mode"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("feeds/", include("website.feeds.urls")),
    path("api/check/", include("website.redflags.api_urls")),
    path("api/", include("website.api.urls")),
    path("lookup/", include("website.firms.urls")),
    path("", include("website.embeds.urls")),
    path("", include("campaigns.sms.urls")),
    path("", include("website.redflags.urls")),
    path("report/", include("website.tipoffs.urls")),
    path("", include("website.shortlinks.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's own page-serving view, routed from the content-versioned cache (see
    # website/core/routing.py); Wagtail's patterns stay for its password and login views.
    re_path(serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
