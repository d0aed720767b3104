"""The OpenAPI 3.1 description of the read-only API, served at ``/api/v2/openapi.json``.

Written by hand from what the endpoints accept (``website.api.params``) rather than
generated: Wagtail's viewsets build their fields at request time, which generators cannot
see. ``tests/services/test_api_schema.py`` runs schemathesis against it, so a parameter or
an answer that drifts from this description fails there.
"""

import json

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext as _
from wagtail.models import get_page_models

from website.api.caching import api_answer
from website.api.params import MAX_ID, MAX_OFFSET, limit_max
from website.core import api_schema as js
from website.pages.api_fields import NAMED, REGION, RENDITION, nullable
from website.taxonomy.models import Region

MEDIA_TYPE = "application/json"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description):
    return {"description": description, "content": {MEDIA_TYPE: {"schema": schema}}}


def _query(name, description, schema=None, **extra):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
        **extra,
    }


CACHING_HEADERS = {
    "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=…"},
    "ETag": {"schema": {"type": "string"}},
    "Last-Modified": {"schema": {"type": "string"}},
}


def _ok(schema, description):
    answer = _json(schema, description)
    answer["headers"] = CACHING_HEADERS
    return answer


ERRORS = {
    "304": {"description": "If-None-Match / If-Modified-Since: the copy held is current."},
    "400": _json(_ref("Error"), "A parameter is wrong; the message (Chinese) names it."),
}
NOT_FOUND = {"404": _json(_ref("Error"), "No such item, or it is not published.")}


def _common():
    return [
        _query(
            "limit",
            f"Items per answer (0–{limit_max()}).",
            {"type": "integer", "minimum": 0, "maximum": limit_max()},
        ),
        _query(
            "offset",
            "Items to skip.",
            {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
        ),
        _query(
            "fields",
            "Fields to add (fields=summary,region), * for all, _ to start from none.",
            {"type": "string", "maxLength": 300, "pattern": r"^[A-Za-z0-9_*,()\-]*$"},
        ),
        _query(
            "order",
            "Comma-separated field names, - for descending, or random.",
            {"type": "string", "maxLength": 200},
        ),
    ]


PAGE_FILTERS = [
    _query(
        "type",
        "One page type (pages.RiskNoticePage, pages.CaseStudyPage, campaigns.CampaignPage …).",
        {"type": "string", "maxLength": 100},
    ),
    _query("audience", "An audience's slug (see /api/v2/audiences/).", {"type": "string"}),
    _query("region", "A region's code (see /api/v2/regions/).", {"type": "string"}),
    _query("tag", "A tag's slug (see /api/v2/tags/).", {"type": "string"}),
    _query(
        "current",
        "With type=pages.RiskNoticePage: 1 for notices in force, 0 for expired ones.",
        {"type": "string", "enum": ["0", "1", "true", "false"]},
    ),
    _query("search", "Chinese full-text search.", {"type": "string", "maxLength": 100}),
    _query("search_operator", "and / or", {"type": "string", "enum": ["and", "or"]}),
    _query(
        "child_of",
        "A page id, or root.",
        {"type": "string", "pattern": "^(root|[0-9]{1,10})$"},
    ),
    _query(
        "descendant_of",
        "A page id, or root.",
        {"type": "string", "pattern": "^(root|[0-9]{1,10})$"},
    ),
    _query(
        "rich_text_format",
        "How rich text is given.",
        {"type": "string", "enum": ["html", "db_html", "markdown"]},
    ),
]

ID_PATH = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


def _listing(tag, summary, parameters, item):
    return {
        "get": {
            "tags": [tag],
            "summary": summary,
            "parameters": [*_common(), *parameters],
            "responses": {"200": _ok(_listing_schema(item), summary), **ERRORS},
        }
    }


def _listing_schema(item):
    return {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {
                "type": "object",
                "required": ["total_count"],
                "properties": {"total_count": {"type": "integer", "minimum": 0}},
            },
            "items": {"type": "array", "items": _ref(item)},
        },
    }


def _detail(tag, summary, item):
    return {
        "get": {
            "tags": [tag],
            "summary": summary,
            "parameters": [
                ID_PATH,
                _query(
                    "fields",
                    "Fields to show.",
                    {"type": "string", "maxLength": 300, "pattern": r"^[A-Za-z0-9_*,()\-]*$"},
                ),
            ],
            "responses": {"200": _ok(_ref(item), summary), **ERRORS, **NOT_FOUND},
        }
    }


def _find(tag, key, description):
    return {
        "get": {
            "tags": [tag],
            "summary": description,
            "parameters": [_query(key, description, {"type": "string", "maxLength": 200})],
            "responses": {
                "302": {
                    "description": "Found: Location is the item's detail URL.",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                },
                **ERRORS,
                **NOT_FOUND,
            },
        }
    }


def page_schema():
    """Return the schema of a page item: Wagtail's own fields, then each page type's
    ``api_schema`` (the shape of its ``api_fields``), read off every page class Wagtail
    knows, as the API reads ``api_fields``."""
    page_ref = js.obj(
        {
            "id": js.integer(),
            "meta": js.obj(
                {"type": js.string(), "detail_url": js.url(), "html_url": js.url(nullable=True)}
            ),
            "title": js.string(),
        },
        nullable=True,
    )
    properties = {
        "id": js.integer(minimum=1),
        "meta": js.obj(
            {
                "type": js.string(),
                "detail_url": js.url(),
                "html_url": js.url(nullable=True),
                "slug": js.string(),
                "show_in_menus": js.boolean(),
                "seo_title": js.string(),
                "search_description": js.string(),
                "first_published_at": js.datetime(nullable=True),
                "alias_of": js.obj({}, nullable=True),
                "locale": js.string(),
                "parent": page_ref,
            }
        ),
        "title": js.string(),
    }
    for model in get_page_models():
        for name, schema in getattr(model, "api_schema", {}).items():
            # Two page types giving one field name must give it the same shape.
            if properties.setdefault(name, schema) != schema:
                raise ImproperlyConfigured(
                    f"{model.__name__}.api_schema[{name!r}] differs from another page type's"
                )
    return js.obj(properties)


def schemas():
    """Return the components' schemas: every endpoint's item, as the serializers give it."""
    meta = js.obj({"type": js.string(), "detail_url": js.url()})
    return {
        "Error": js.obj({"message": js.string(minLength=1)}, required=["message"]),
        "Index": js.obj(
            {
                "name": js.string(),
                "version": js.string(),
                "openapi": js.url(),
                "endpoints": {"type": "object", "additionalProperties": js.url()},
                "tools": {"type": "object", "additionalProperties": js.url()},
            },
            required=["version", "openapi", "endpoints"],
        ),
        "Page": page_schema(),
        "Image": js.obj(
            {
                "id": js.integer(minimum=1),
                "meta": js.obj(
                    {
                        "type": js.string(),
                        "detail_url": js.url(),
                        "download_url": js.url(),
                        "tags": js.array(NAMED),
                    }
                ),
                "title": js.string(),
                "width": js.integer(minimum=1),
                "height": js.integer(minimum=1),
                "thumbnail": RENDITION,
            }
        ),
        "Audience": js.obj(
            {
                "id": js.integer(minimum=1),
                "meta": meta,
                "name": js.string(),
                "slug": js.string(),
                "entry_label": js.string(),
                "description": js.string(),
                "sort_order": js.integer(),
            }
        ),
        "Region": js.obj(
            {
                "id": js.integer(minimum=1),
                "meta": meta,
                "name": js.string(),
                "code": REGION["properties"]["code"],
                "level": {"type": "integer", "enum": list(Region.Level.values)},
                "level_display": js.string(),
                "parent": nullable(REGION),
                "path": js.string(pattern="^/([0-9]+/)+$"),
            }
        ),
        "Tag": js.obj(
            {
                "id": js.integer(minimum=1),
                "meta": meta,
                "name": js.string(),
                "slug": js.string(),
            }
        ),
    }


def document(base_url):
    """Return the OpenAPI description, with ``base_url`` (this site) as its server."""
    taxonomy = {
        "audiences": ("slug", "重点人群 (target audiences)", "Audience"),
        "regions": ("code", "行政区划 (regions)", "Region"),
        "tags": ("slug", "幌子与行业 (pretext tags)", "Tag"),
    }
    paths = {
        "/api/v2/": {
            "get": {
                "tags": ["index"],
                "summary": "The endpoints of the API.",
                "responses": {"200": _ok(_ref("Index"), "Endpoint addresses.")},
            }
        },
        "/api/v2/pages/": _listing(
            "pages",
            "Live public pages: notices, cases, campaigns, quizzes, indexes.",
            PAGE_FILTERS,
            "Page",
        ),
        "/api/v2/pages/{id}/": _detail("pages", "One page with all its fields.", "Page"),
        "/api/v2/pages/find/": _find("pages", "html_path", "A page by its site path."),
        "/api/v2/images/": _listing(
            "images",
            "Images shown on live public pages.",
            [_query("search", "Search titles.", {"type": "string", "maxLength": 100})],
            "Image",
        ),
        "/api/v2/images/{id}/": _detail("images", "One image.", "Image"),
    }
    for name, (key, label, item) in taxonomy.items():
        extra = []
        if name == "regions":
            extra = [_query("parent", "A region code: the regions directly under it.")]
        paths[f"/api/v2/{name}/"] = _listing(name, label, extra, item)
        paths[f"/api/v2/{name}/{{id}}/"] = _detail(name, label, item)
        paths[f"/api/v2/{name}/find/"] = _find(name, key, f"One of {label} by {key}.")

    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("防非只读接口"),
            "version": "v2",
            "description": _(
                "风险提示、典型案例、宣传活动等公开内容的只读接口（Wagtail API v2）。"
                "匿名访问、任何来源可读（CORS），答复可被缓存并以 ETag / Last-Modified 校验（304）。"
                "参数错误返回 400 与中文说明。"
            ),
        },
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": schemas()},
    }


@api_answer("reference")
def openapi_json(request):
    """Return the OpenAPI description as JSON."""
    base = request.build_absolute_uri("/").rstrip("/")
    body = json.dumps(document(base), ensure_ascii=False, indent=1)
    # CORS (and the exposed ETag) come from ReadOnlyCorsMiddleware, as for all of /api/.
    return HttpResponse(body, content_type=f"{MEDIA_TYPE}; charset=utf-8")
