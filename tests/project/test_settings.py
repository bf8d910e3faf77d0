"""conference/settings.py: everything read from the environment, and safe for production."""


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
    off = manage("check", "--deploy", **local, COLLOQUY_PAGE_CACHE_SECONDS="0")
    assert "colloquy.W001" not in off.stderr + off.stdout


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
