"""Serving in production: gunicorn answers with pages and WhiteNoise's static files."""

import os
import re
import sys
import urllib.request
from pathlib import Path

from bench.production import gunicorn
from tests.pages import form_token_of, without_form_token


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
    executable = str(Path(sys.executable).with_name("gunicorn"))
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    with gunicorn(executable, "conference.wsgi:application", {**base, **env}, workers=1) as url:
        home = urllib.request.urlopen(f"{url}/", timeout=5)
        assert home.status == 200
        assert "Content-Security-Policy" in home.headers
        paper = re.search(r'href="(/editions/[^"]+/papers/[^"]+/)"', home.read().decode())[1]
        first, again = (urllib.request.urlopen(f"{url}{paper}", timeout=5) for _ in "12")
        assert first.status == again.status == 200
        pages = [first.read().decode(), again.read().decode()]
        assert form_token_of(pages[0]) != form_token_of(pages[1])  # each visitor's own
        assert without_form_token(pages[0]) == without_form_token(pages[1])
        assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(f"{url}/static/css/site.css", timeout=5)
        assert css.status == 200
        assert b"--accent" in css.read()
