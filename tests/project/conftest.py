"""Fixtures for the project tests: manage.py run in a fresh process with a chosen environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manage():
    """Run `manage.py ARGS` in a subprocess; DEBUG, SECRET_KEY and DATABASE_URL only as given."""

    def run(*args, **env):
        base = {
            k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")
        }
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture
def production():
    """The variables a production server is started with (README: Production)."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": "k3y-for-tests-" + "x7Qp2L9vR4mZ8wN1cT6yB3hJ5sD0fG" * 2,
        "ALLOWED_HOSTS": "example.org,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
