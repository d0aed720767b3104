from django.urls import path, re_path
from wagtail.api.v2.router import WagtailAPIRouter

from website.api import lookup, openapi, views

api_router = WagtailAPIRouter("wagtailapi")
for name, endpoint in views.ENDPOINTS.items():
    api_router.register_endpoint(name, endpoint)

urlpatterns = [
    path("", views.index, name="api_index"),
    path("v2/", views.index, name="api_v2_index"),
    path("v2/openapi.json", openapi.openapi_json, name="api_openapi"),
    path("v2/", api_router.urls),
    path("lookup/", lookup.firms_lookup, name="api_lookup"),
    # Anything else under /api/ is a JSON 404, not the site's HTML one. Paths without the
    # final slash fall through to APPEND_SLASH's redirect first.
    re_path(r"^.*/$", views.not_found),
]
