"""The project's set-up: settings from the environment, production checks, serving."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-tests-" + "x7Qp2L9vR4mZ8wN1cT6yB3hJ5sD0fG" * 2,
    "ALLOWED_HOSTS": "example.org,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://example.org",
}


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(expression, **env):
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_environment_switches_database_cache_and_tasks():
    assert setting("settings.DATABASES['default']['ENGINE']", DEBUG="1").endswith("sqlite3")
    postgres = setting(
        "settings.DATABASES['default']['ENGINE']",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert postgres == "django.db.backends.postgresql"
    assert setting("settings.CACHES['default']['BACKEND']", DEBUG="1").endswith("LocMemCache")
    redis = setting(
        "settings.CACHES['default']['BACKEND']", DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert redis == "django.core.cache.backends.redis.RedisCache"
    tasks = setting("settings.TASKS['default']['BACKEND']", DEBUG="1", TASKS_BACKEND="database")
    assert tasks == "django_tasks_db.DatabaseBackend"
    assert (
        setting("settings.COLLOQUY_THREADS_PER_PAGE", DEBUG="1", COLLOQUY_THREADS_PER_PAGE="7")
        == "7"
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_pages_and_static_files_in_production(tmp_path):
    env = {
        **PRODUCTION,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    assert manage("migrate", "--noinput", **env).returncode == 0
    assert manage("collectstatic", "--noinput", **env).returncode == 0
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
        cwd=ROOT,
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
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=5)
        assert css.status == 200
        assert b"--accent" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
