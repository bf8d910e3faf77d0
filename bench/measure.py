"""Time one page through the site's WSGI application, inside the Django process being measured.

Run with DJANGO_SETTINGS_MODULE and the environment of the site to measure (ours or
django-comments-xtd's); prints one JSON line: median and p95 milliseconds, SQL queries of one
request, response bytes, and the process's peak resident memory (ru_maxrss) afterwards.

--signed-in makes (or reuses) a plain user, with no permissions and no staff or superuser
flag, and a new session of theirs in the database being measured, and sends that session's
cookie (settings.SESSION_COOKIE_NAME) with every request: the page of a signed-in reader.
--expect TEXT stops the run unless the page contains TEXT (proof of what was measured).
"""

import argparse
import io
import json
import resource
import statistics
import time

import django

READER = {"username": "bench-reader", "first_name": "Bench", "last_name": "Reader"}


def signed_in_cookie():
    """'name=key' of a new session of the benchmark's plain reader, stored in the database."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user, made = get_user_model().objects.get_or_create(
        username=READER["username"],
        defaults={**READER, "email": "bench-reader@example.org"},
    )
    if made:
        user.set_unusable_password()
        user.save()
    if user.is_staff or user.is_superuser or user.user_permissions.exists() or user.groups.exists():
        raise SystemExit(f"{user.username} must be a plain user, with no permissions")
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--signed-in", action="store_true", help="as a plain signed-in user")
    parser.add_argument("--expect", action="append", default=[], help="text the page must hold")
    args = parser.parse_args()
    django.setup()

    from django.core.servers.basehttp import get_internal_wsgi_application
    from django.db import connection

    handler = get_internal_wsgi_application()  # the site's own entry point (WSGI_APPLICATION)
    cookie = {"HTTP_COOKIE": signed_in_cookie()} if args.signed_in else {}

    def get():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            **cookie,
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{args.path} answered {statuses[0]}")
        return body

    body = get()  # warm: templates compiled, connection open, cache filled
    for text in args.expect:
        if text.encode() not in body:
            raise SystemExit(f"{args.path} does not say {text!r}")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "median_ms": statistics.median(times),
                "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))],
                "queries": len(queries),
                "bytes": len(body),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
