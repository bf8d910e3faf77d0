"""Colloquy's settings, read from the environment (README: Configuration).

The zero-setup default is SQLite, the local-memory cache and immediate tasks; PostgreSQL
(DATABASE_URL), Redis (REDIS_URL) and a database-backed task worker (TASKS_BACKEND=database)
are switched on by environment alone.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    SECRET_KEY = "colloquy-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search: the tsvector column (inert on SQLite)
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "common",
    "papers",
    "comments",
    "pages",
    "authoring",
    "revisions",
    "wordpress",
    "feeds",
    "search",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "conference.hardening.RequestParameterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.page_cache.SharedPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "conference.urls"
WSGI_APPLICATION = "conference.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "common.context_processors.site",
            ],
        },
    },
    {
        # Only for what must render fast: comments/jinja2/comments/discussion.html.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "common.jinja2.environment",
            "context_processors": ["common.jinja2.locale"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers never wait for a writer, and a commit is an append to
    # the log rather than a synced rewrite (synced at checkpoints): fourteen milliseconds a
    # commit otherwise, which an import of a post at a time pays for every post.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # PostgreSQL plans each query anew unless it is prepared (about a millisecond for a
    # discussion's query): the queries a connection runs more than twice are prepared once.
    # Off (DATABASE_PREPARED_STATEMENTS=0) behind a pooler in transaction mode (PgBouncer).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "colloquy"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[env("TASKS_BACKEND", "immediate")]
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "comments:me"
LOGOUT_REDIRECT_URL = "papers:home"

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (papers' figures), kept under MEDIA_ROOT and served by the app itself at
# MEDIA_URL unless SERVE_MEDIA=0 (a proxy serving MEDIA_ROOT, or another storage backend).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (Django's MAILERS): printed to the console in development, SMTP in production.
_MAIL_BACKEND = env(
    "EMAIL_BACKEND",
    f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env("EMAIL_HOST_USER"),
    "password": env("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "use_ssl": env_bool("EMAIL_USE_SSL"),
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _MAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Colloquy <noreply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", address) for address in env_list("ADMIN_EMAILS")]

# Security: a strict Content-Security-Policy (no inline script or style anywhere).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Every record is printed once, by the root logger's handler (stderr). Django first applies
# its own DEFAULT_LOGGING, which gives the "django" logger a console handler of its own (with
# DEBUG) while it still propagates to the root: each django.* line came out twice. So "django"
# is named here, which replaces its handlers: it keeps only the e-mail to ADMINS, and its
# records reach the console through the root. "django.server" (runserver's request lines)
# keeps its own formatted handler and does not propagate, as in Django's default.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Colloquy's own settings.
COLLOQUY_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")  # for links in e-mails
# The site's name and tagline, on every page and in e-mails (common/context_processors.py).
COLLOQUY_SITE_NAME = env("SITE_NAME").strip() or "Colloquy"
COLLOQUY_SITE_TAGLINE = (
    env("SITE_TAGLINE").strip() or "Online conferences where every paper is a conversation."
)
COLLOQUY_PAPERS_PER_PAGE = env_int("COLLOQUY_PAPERS_PER_PAGE", 20)
COLLOQUY_SEARCH_RESULTS_PER_PAGE = env_int("COLLOQUY_SEARCH_RESULTS_PER_PAGE", 20)
COLLOQUY_SEARCHES_PER_MINUTE = env_int("COLLOQUY_SEARCHES_PER_MINUTE", 30)
COLLOQUY_MAX_THREAD_DEPTH = env_int("COLLOQUY_MAX_THREAD_DEPTH", 5)
COLLOQUY_COMMENT_MAX_LENGTH = env_int("COLLOQUY_COMMENT_MAX_LENGTH", 10000)
COLLOQUY_COMMENT_MIN_LENGTH = env_int("COLLOQUY_COMMENT_MIN_LENGTH", 2)
COLLOQUY_UNSUBSCRIBE_MAX_AGE_DAYS = env_int("COLLOQUY_UNSUBSCRIBE_MAX_AGE_DAYS", 180)
COLLOQUY_TRASH_DAYS = env_int("COLLOQUY_TRASH_DAYS", 30)
COLLOQUY_EDIT_WINDOW_MINUTES = env_int("COLLOQUY_EDIT_WINDOW_MINUTES", 15)
COLLOQUY_PERSONAL_DATA_LINK_HOURS = env_int("COLLOQUY_PERSONAL_DATA_LINK_HOURS", 24)
COLLOQUY_CLIENT_KEY_DAYS = env_int("COLLOQUY_CLIENT_KEY_DAYS", 30)
COLLOQUY_NOTIFY_MODERATORS = env_bool("COLLOQUY_NOTIFY_MODERATORS", default=True)
COLLOQUY_CLIENT_KEY_SECRET = env("CLIENT_KEY_SECRET", SECRET_KEY)
# Reverse proxies in front of the app servers, each adding to X-Forwarded-For (0: none).
COLLOQUY_TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
COLLOQUY_MODERATION = {
    # Each check of comments/moderation.py, on or off.
    "checks": {
        "bot_traps": True,
        "flood": True,
        "exact_duplicate": True,
        "near_duplicate": True,
        "copy_paste": True,
        "moderation_words": True,
        "links": True,
        "first_comment": env_bool("COLLOQUY_HOLD_FIRST_COMMENT", default=True),
    },
    "near_duplicate_threshold": 0.7,  # estimated Jaccard similarity of word 3-shingles
    "copy_paste_window_hours": 24,
    "copy_paste_scan": 200,  # newest comments compared for near-same text across identities
    "flood_seconds": 15,
    "max_links": 2,
    "min_seconds_to_post": 3,
}
COLLOQUY_THREADS_PER_PAGE = env_int("COLLOQUY_THREADS_PER_PAGE", 50)
COLLOQUY_PAGE_CACHE_SECONDS = env_int("COLLOQUY_PAGE_CACHE_SECONDS", 300)
# The paper's article (all of its page but the discussion), kept for every reader until it
# changes (papers/receivers.py); 0: drawn on every request.
COLLOQUY_ARTICLE_CACHE_SECONDS = env_int("COLLOQUY_ARTICLE_CACHE_SECONDS", 86400)
# The largest image file a figure may have (an upload, or a file an import copies).
COLLOQUY_IMAGE_MAX_BYTES = env_int("COLLOQUY_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
# How long the link in an author's invitation (invite_authors) lets them set a password.
COLLOQUY_INVITATION_DAYS = env_int("COLLOQUY_INVITATION_DAYS", 14)
