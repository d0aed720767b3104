"""oEmbed provider (https://oembed.com): ``/oembed?url=…&format=json&maxwidth=…``."""

from django.http import Http404


def oembed(request):
    raise Http404("not built yet")
