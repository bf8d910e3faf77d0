"""conference/settings.py: everything read from the environment, and safe for production."""

import pytest

from papers.checks import site_url_is_public

PUBLIC = "https://example.org"  # the production fixture's host, in ALLOWED_HOSTS


@pytest.fixture
def production(production):
    """README: Production lists SITE_URL; the shared fixture predates it."""
    return {"SITE_URL": PUBLIC, **production}


def setting(manage, expression, **env):
    """The value of a settings expression in a fresh process with these variables."""
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_refuses_to_start_without_a_secret_key(manage):
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables(manage, production):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_page_cache_is_one_per_process(manage, production):
    local = {key: value for key, value in production.items() if key != "REDIS_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **local)
    assert result.returncode == 1
    assert "colloquy.W001" in result.stderr + result.stdout
    both_off = {"COLLOQUY_PAGE_CACHE_SECONDS": "0", "COLLOQUY_ARTICLE_CACHE_SECONDS": "0"}
    off = manage("check", "--deploy", **local, **both_off)
    assert "colloquy.W001" not in off.stderr + off.stdout
    for kept in both_off:  # either cache alone, kept per process, is warned of
        one_on = manage("check", "--deploy", **local, **{**both_off, kept: "300"})
        assert "colloquy.W001" in one_on.stderr + one_on.stdout


def test_check_deploy_warns_when_site_url_is_left_at_its_default(manage, production):
    default = {key: value for key, value in production.items() if key != "SITE_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **default)
    output = result.stderr + result.stdout
    assert result.returncode == 1
    assert "colloquy.W002" in output
    assert "SITE_URL is 'http://127.0.0.1:8000', a local address" in output
    assert "colloquy.W002" not in manage("check", "--deploy", **production).stderr


@pytest.mark.parametrize(
    ("site_url", "problem"),
    [
        ("http://127.0.0.1:8000", "a local address"),
        ("http://localhost:8001/", "a local address"),
        ("https://[::1]", "a local address"),
        ("http://0.0.0.0:8000", "a local address"),
        ("http://example.org", "is not https"),
        ("https://example.org/conference/", "more than a scheme, host and port"),
        ("https://example.org/?utm=1", "more than a scheme, host and port"),
        ("https://conference.example.net", "not in ALLOWED_HOSTS"),
        ("https://exämple.org", "not ASCII"),
        ("example.org", "not an absolute http(s) address"),
        ("https://example.org:port", "not a web address"),
    ],
)
def test_site_url_check_names_each_problem(settings, site_url, problem):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["example.org", "exämple.org", "127.0.0.1"]
    settings.COLLOQUY_SITE_URL = site_url
    warnings = site_url_is_public(None)
    assert warnings, site_url
    assert {warning.id for warning in warnings} == {"colloquy.W002"}
    assert any(problem in warning.msg for warning in warnings), [w.msg for w in warnings]


@pytest.mark.parametrize("site_url", [PUBLIC, PUBLIC + "/", "https://EXAMPLE.org:8443"])
def test_site_url_check_is_quiet_for_a_public_https_address(settings, site_url):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.COLLOQUY_SITE_URL = site_url
    assert site_url_is_public(None) == []


def test_site_url_check_is_quiet_in_development(settings):
    settings.DEBUG = True
    settings.COLLOQUY_SITE_URL = "http://127.0.0.1:8000"
    assert site_url_is_public(None) == []


def test_environment_switches_database_cache_and_tasks(manage):
    assert setting(manage, "settings.DATABASES['default']['ENGINE']", DEBUG="1").endswith("sqlite3")
    postgres = setting(
        manage,
        "settings.DATABASES['default']['ENGINE']",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
    )
    assert postgres == "django.db.backends.postgresql"
    assert setting(manage, "settings.CACHES['default']['BACKEND']", DEBUG="1").endswith(
        "LocMemCache"
    )
    redis = setting(
        manage,
        "settings.CACHES['default']['BACKEND']",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert redis == "django.core.cache.backends.redis.RedisCache"
    tasks = setting(
        manage, "settings.TASKS['default']['BACKEND']", DEBUG="1", TASKS_BACKEND="database"
    )
    assert tasks == "django_tasks_db.DatabaseBackend"
    assert (
        setting(
            manage, "settings.COLLOQUY_THREADS_PER_PAGE", DEBUG="1", COLLOQUY_THREADS_PER_PAGE="7"
        )
        == "7"
    )
