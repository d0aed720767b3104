"""WSGI entry point of the bare Django reference: ``gunicorn bench.bare_django.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bare_django.settings")

application = get_wsgi_application()
