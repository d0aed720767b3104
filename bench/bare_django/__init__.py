"""The bare Django reference: one view returning ``HttpResponse("Hello")``.

Settings are what ``django-admin startproject`` generates, minus the admin and the database
(the view touches neither), with DEBUG off, so the only difference from the site is the work
the site does itself.
"""
