"""Building blocks of JSON Schema (OpenAPI 3.1) for what the read-only API gives.

Page models describe their own API fields next to ``api_fields``, in ``api_schema`` (a
property name → schema mapping), with these; ``website.api.openapi`` reads that attribute
off every page type Wagtail knows, as it reads ``api_fields``, and imports no app.
"""


def obj(properties, required=(), nullable=False):
    """Return an object schema whose ``properties`` are typed wherever they appear.

    Few are ever required: the API's ``fields`` parameter can leave out almost anything
    (``fields=_`` leaves an item empty), and each page type adds its own.
    """
    schema = {"type": ["object", "null"] if nullable else "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def string(nullable=False, **extra):
    return {"type": ["string", "null"] if nullable else "string", **extra}


def integer(nullable=False, **extra):
    return {"type": ["integer", "null"] if nullable else "integer", **extra}


def boolean():
    return {"type": "boolean"}


def choices(text_choices):
    """Return a string schema allowing the values of a Django ``TextChoices``."""
    return {"type": "string", "enum": list(text_choices.values)}


def array(items):
    return {"type": "array", "items": items}


def url(nullable=False):
    return string(nullable, format="uri")


def date(nullable=False):
    return string(nullable, format="date")


def datetime(nullable=False):
    return string(nullable, format="date-time")


def stream():
    """A StreamField as Wagtail's API gives it: a list of ``{"type", "value", "id"}``."""
    return array(obj({"type": string(), "id": string()}, required=["type"]))
