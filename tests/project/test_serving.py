"""Serving in production: gunicorn answers with pages and WhiteNoise's static files."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.pages import form_token_of, without_form_token


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_pages_and_static_files_in_production(manage, production, tmp_path):
    """With production settings, Redis as the shared cache: pages, a paper page twice (the
    second from the page cache), static files."""
    env = {
        **production,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    assert manage("migrate", "--noinput", **env).returncode == 0
    assert manage("collectstatic", "--noinput", **env).returncode == 0
    assert manage("load_demo", **env).returncode == 0
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    server = subprocess.Popen(
        [
            str(gunicorn),
            "conference.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not answer within 20 s")
                time.sleep(0.3)
        assert home.status == 200
        assert "Content-Security-Policy" in home.headers
        paper = re.search(r'href="(/editions/[^"]+/papers/[^"]+/)"', home.read().decode())[1]
        first, again = (
            urllib.request.urlopen(f"http://127.0.0.1:{port}{paper}", timeout=5) for _ in "12"
        )
        assert first.status == again.status == 200
        pages = [first.read().decode(), again.read().decode()]
        assert form_token_of(pages[0]) != form_token_of(pages[1])  # each visitor's own
        assert without_form_token(pages[0]) == without_form_token(pages[1])
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=5)
        assert css.status == 200
        assert b"--accent" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
