"""The OpenAPI 3.1 description of the read-only API, served at ``/api/v2/openapi.json``.

Written by hand from what the endpoints accept (``website.api.params``) rather than
generated: Wagtail's viewsets build their fields at request time, which generators cannot
see. ``tests/services/test_api_schema.py`` runs schemathesis against it, so a parameter or
an answer that drifts from this description fails there.
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

from website.api.caching import api_answer
from website.api.params import MAX_ID, MAX_OFFSET, limit_max

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


def _object(properties, required=(), nullable=False):
    """A JSON object whose ``properties`` are typed wherever they appear.

    Few are required: ``fields`` lets a partner leave out almost any of them (``fields=_``
    leaves an item empty), and each page type adds its own.
    """
    schema = {"type": ["object", "null"] if nullable else "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _string(nullable=False, **extra):
    return {"type": ["string", "null"] if nullable else "string", **extra}


def _integer(nullable=False, **extra):
    return {"type": ["integer", "null"] if nullable else "integer", **extra}


def _choices(text_choices):
    return {"type": "string", "enum": list(text_choices.values)}


def _array(items):
    return {"type": "array", "items": items}


URL = _string(format="uri")
DATE = _string(format="date")
DATETIME = _string(format="date-time")


def schemas():
    """Return the components' schemas: every endpoint's item, as the serializers give it."""
    from campaigns.models import CampaignPage, OutreachEvent
    from website.pages.models import RiskNoticePage
    from website.taxonomy.models import Region

    named = _object({"slug": _string(), "name": _string()}, required=["slug", "name"])
    region = _object(
        {"code": _string(pattern="^[0-9]{2,12}$"), "name": _string(), "level": _integer()},
        required=["code", "name", "level"],
    )
    rendition = _object(
        {
            "url": _string(),
            "full_url": URL,
            "width": _integer(minimum=1),
            "height": _integer(minimum=1),
            "alt": _string(),
        },
        nullable=True,
    )
    page_ref = _object(
        {
            "id": _integer(),
            "meta": _object(
                {"type": _string(), "detail_url": URL, "html_url": _string(nullable=True)}
            ),
            "title": _string(),
        },
        nullable=True,
    )
    image_meta = {"type": _string(), "detail_url": URL, "download_url": URL}
    image_ref = _object(
        {"id": _integer(), "meta": _object(image_meta), "title": _string()}, nullable=True
    )
    event = _object(
        {
            "id": _integer(),
            "title": _string(),
            "start_at": DATETIME,
            "end_at": DATETIME,
            "status": _choices(OutreachEvent.Status),
            "status_display": _string(),
            "channel": _string(),
            "venue": _string(),
            "address": _string(),
            "region": region,
            "calendar_url": _string(nullable=True, format="uri"),
        },
        # Never the organiser's contact person, phone or e-mail.
        required=["id", "title", "start_at", "end_at", "calendar_url"],
    )
    event["additionalProperties"] = False
    return {
        "Error": _object({"message": _string(minLength=1)}, required=["message"]),
        "Index": _object(
            {
                "name": _string(),
                "version": _string(),
                "openapi": URL,
                "endpoints": {"type": "object", "additionalProperties": URL},
                "tools": {"type": "object", "additionalProperties": URL},
            },
            required=["version", "openapi", "endpoints"],
        ),
        "Page": _object(
            {
                "id": _integer(minimum=1),
                "meta": _object(
                    {
                        "type": _string(),
                        "detail_url": URL,
                        "html_url": _string(nullable=True, format="uri"),
                        "slug": _string(),
                        "show_in_menus": {"type": "boolean"},
                        "seo_title": _string(),
                        "search_description": _string(),
                        "first_published_at": _string(nullable=True, format="date-time"),
                        "alias_of": _object({}, nullable=True),
                        "locale": _string(),
                        "parent": page_ref,
                    }
                ),
                "title": _string(),
                "intro": _string(),
                "summary": _string(),
                "body": _array(_object({"type": _string(), "id": _string()}, ["type"])),
                "last_published_at": _string(nullable=True, format="date-time"),
                # Risk notices (pages.RiskNoticePage)
                "level": _choices(RiskNoticePage.Level),
                "level_display": _string(),
                "issued_on": DATE,
                "valid_until": _string(nullable=True, format="date"),
                "is_expired": {"type": "boolean"},
                # Cases (pages.CaseStudyPage)
                "case_date": _string(nullable=True, format="date"),
                "outcome": _string(),
                "amount_involved": _string(nullable=True, pattern=r"^-?[0-9]+(\.[0-9]+)?$"),
                "victims": _integer(nullable=True, minimum=0),
                # Notices and cases: who, where, what pretext
                "audiences": _array(named),
                "region": {**region, "type": ["object", "null"]},
                "tags": _array(named),
                "listing_image": image_ref,
                "listing_image_thumbnail": rendition,
                # Campaigns (campaigns.CampaignPage)
                "kind": _choices(CampaignPage.Kind),
                "kind_display": _string(),
                "theme": _string(),
                "start_date": DATE,
                "end_date": DATE,
                "phase": {"type": "string", "enum": ["upcoming", "current", "past"]},
                "regions": _array(region),
                "events": _array(event),
                "calendar_url": _string(nullable=True, format="uri"),
                "calendar_webcal_url": _string(nullable=True, pattern="^webcal://"),
            }
        ),
        "Image": _object(
            {
                "id": _integer(minimum=1),
                "meta": _object({**image_meta, "tags": _array(named)}),
                "title": _string(),
                "width": _integer(minimum=1),
                "height": _integer(minimum=1),
                "thumbnail": rendition,
            }
        ),
        "Audience": _object(
            {
                "id": _integer(minimum=1),
                "meta": _object({"type": _string(), "detail_url": URL}),
                "name": _string(),
                "slug": _string(),
                "entry_label": _string(),
                "description": _string(),
                "sort_order": _integer(),
            }
        ),
        "Region": _object(
            {
                "id": _integer(minimum=1),
                "meta": _object({"type": _string(), "detail_url": URL}),
                "name": _string(),
                "code": _string(pattern="^[0-9]{2,12}$"),
                "level": {"type": "integer", "enum": list(Region.Level.values)},
                "level_display": _string(),
                "parent": {**region, "type": ["object", "null"]},
                "path": _string(pattern="^/([0-9]+/)+$"),
            }
        ),
        "Tag": _object(
            {
                "id": _integer(minimum=1),
                "meta": _object({"type": _string(), "detail_url": URL}),
                "name": _string(),
                "slug": _string(),
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
