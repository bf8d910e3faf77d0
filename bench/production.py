"""The site in production mode on 127.0.0.1, as the benchmark (bench/run.py), the load test
(bench/loadtest.py) and tests/project/test_serving.py run it: its settings, and gunicorn
serving it on a free port until the block ends."""

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# DEBUG off, plain HTTP on 127.0.0.1 (no redirect to HTTPS), all threads on one page.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-key-" + "q8Zr3LxW" * 6,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "COLLOQUY_THREADS_PER_PAGE": "0",
    "DJANGO_SETTINGS_MODULE": "conference.settings",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(executable, app, env, *, workers=2, extra=()):
    """gunicorn serving app with env, once it answers; its base URL."""
    port = free_port()
    command = [executable, app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--no-control-socket", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg", timeout=2)
                break
            except OSError as error:
                if getattr(error, "code", None):  # an HTTP error: the server answers
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"{app} did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)
