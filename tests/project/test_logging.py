"""LOGGING in conference/settings.py: each log call is printed once, in development and in
production, and errors still reach ADMINS by e-mail in production."""

import os
import subprocess
import sys

import pytest

from tests.project.conftest import ROOT

# One record on each kind of logger: Django's own (which Django's default LOGGING gives a
# console handler of its own), a child of it, ours, and runserver's request lines.
SCRIPT = """
import logging
import django

django.setup()
logging.getLogger("django.request").warning("MARK-1 django.request warning")
logging.getLogger("django.tasks").info("MARK-2 django.tasks info")
logging.getLogger("django").error("MARK-3 django error")
logging.getLogger("comments.notifications").warning("MARK-4 our warning")
logging.getLogger("comments.notifications").info("MARK-5 our info, below LOG_LEVEL")
logging.getLogger("django.server").info("MARK-6 runserver request line")

from django.core import mail

print("outbox", len(getattr(mail, "outbox", [])), "|".join(m.subject for m in getattr(mail, "outbox", [])))
"""


def run(**env):
    """SCRIPT in a fresh process configured by conference.settings, with these variables."""
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "LOG_LEVEL")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "conference.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-logging-tests-" + "x7Qp2L9vR4mZ8wN1cT6yB3hJ5sD0fG" * 2,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "ADMIN_EMAILS": "admin@example.org",
}


@pytest.mark.parametrize("env", [{"DEBUG": "1"}, PRODUCTION], ids=["development", "production"])
def test_each_log_call_is_printed_once(env):
    stderr = run(**env).stderr
    for mark in ("MARK-1", "MARK-2", "MARK-3", "MARK-4", "MARK-6"):
        assert stderr.count(mark) == 1, f"{mark} printed {stderr.count(mark)} times:\n{stderr}"
    assert "MARK-5" not in stderr  # LOG_LEVEL (WARNING) still applies to our own loggers
    request_line = next(line for line in stderr.splitlines() if "MARK-6" in line)
    assert request_line.startswith("[")  # runserver's lines keep their time stamp


def test_log_level_lets_our_info_lines_through_once():
    stderr = run(DEBUG="1", LOG_LEVEL="INFO").stderr
    assert stderr.count("MARK-5") == 1
    assert stderr.count("MARK-1") == 1


def test_errors_are_still_mailed_to_admins_in_production_only():
    production = run(**PRODUCTION).stdout
    assert production.startswith("outbox 1 ")
    assert "MARK-3 django error" in production
    development = run(**{**PRODUCTION, "DEBUG": "1"}).stdout
    assert development.startswith("outbox 0")
