"""Fangfei (防非): the site package.

The design card names this package ``site/``; Python imports its own ``site`` module at
start-up, so a package of that name could never be imported. ``website`` stands for it.
"""

from website.celery import app as celery_app

__all__ = ("celery_app",)
