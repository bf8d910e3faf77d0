"""Time one page through the site's WSGI application, inside the Django process being measured.

Run with DJANGO_SETTINGS_MODULE and the environment of the site to measure (ours or
django-comments-xtd's); prints one JSON line: median and p95 milliseconds, SQL queries of one
request, response bytes, and the process's peak resident memory (ru_maxrss) afterwards.
"""

import argparse
import io
import json
import resource
import statistics
import time

import django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    django.setup()

    from django.core.servers.basehttp import get_internal_wsgi_application
    from django.db import connection

    handler = get_internal_wsgi_application()  # the site's own entry point (WSGI_APPLICATION)

    def get():
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": args.path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{args.path} answered {statuses[0]}")
        return body

    body = get()  # warm: templates compiled, connection open, cache filled
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
