"""A minimal site for django-comments-xtd 2.10, set up as its documentation says.

Only the benchmark uses it, from its own throw-away virtualenv; DATABASE_URL picks the same
database engine as the run it is compared with.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
SECRET_KEY = "benchmark-only-" + "0" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
    "xtd_site",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
# Django's standard settings, in the same shape as conference/settings.py's: this is another
# site (the benchmark's baseline, on another Django in its own virtualenv), so it shares none.
ROOT_URLCONF = "xtd_site.urls"
WSGI_APPLICATION = "xtd_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
_url = urlparse(os.environ["DATABASE_URL"])
if _url.scheme == "sqlite":
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": _url.path}}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _url.path.lstrip("/"),
            "USER": _url.username or "postgres",
            "HOST": _url.hostname,
            "PORT": _url.port or 5432,
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
SITE_ID = 1
STATIC_URL = "/static/"
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = 4
COMMENTS_XTD_CONFIRM_EMAIL = False
