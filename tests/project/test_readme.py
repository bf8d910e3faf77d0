"""The README's commands work as written: every make target and management command it names
exists, `make manage` and `make run PORT=...` run what the README says, and its example paper
file imports into the demo edition."""

import io
import os
import re
import subprocess

import pytest
from django.core.management import call_command, get_commands

from papers.models import Paper
from tests.project.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def make_n(*args):
    """What make would run (make -n runs nothing)."""
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_echo(*args):
    """Run make, each manage.py command echoed with the environment it would get instead."""
    python = "/bin/sh -c 'echo \"DEBUG=$$DEBUG SITE_URL=$$SITE_URL $$*\"' sh"
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SITE_URL")}
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "-o", ".venv/.installed", *args, f"PY={python}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_every_management_command_in_the_readme_exists():
    named = re.findall(r'make manage ARGS="(\w+)', README)
    named += re.findall(r"manage\.py (\w+)", README)
    assert {"load_demo", "changepassword", "createsuperuser", "db_worker"} <= set(named)
    missing = set(named) - set(get_commands())
    assert not missing, missing


def test_every_make_target_in_the_readme_exists():
    targets = set(re.findall(r"`make (\w+)", README)) | set(
        re.findall(r"^make (\w+)", README, re.M)
    )
    assert {"run", "test", "manage", "bench"} <= targets
    for target in targets:
        make_n(target)


def test_make_manage_runs_manage_py_in_the_virtualenv_with_development_settings():
    out = make_n("manage", "ARGS=changepassword farah-siddiqui")
    assert out.splitlines()[-1] == ".venv/bin/python manage.py changepassword farah-siddiqui"
    (line,) = make_echo("manage", "ARGS=changepassword farah-siddiqui")
    assert line.startswith("DEBUG=1 ")
    assert line.endswith(" manage.py changepassword farah-siddiqui")


@pytest.mark.parametrize(
    ("args", "serves", "site_url"),
    [
        ((), "127.0.0.1:8000", "http://127.0.0.1:8000"),
        (("PORT=8001",), "127.0.0.1:8001", "http://127.0.0.1:8001"),
        (("HOST=0.0.0.0", "PORT=8002"), "0.0.0.0:8002", "http://127.0.0.1:8002"),
        (("PORT=8003", "SITE_URL=https://example.org"), "127.0.0.1:8003", "https://example.org"),
    ],
)
def test_make_run_takes_a_port_and_a_host_and_links_follow(args, serves, site_url):
    assert make_echo("run", *args) == [
        f"DEBUG=1 SITE_URL={site_url} manage.py migrate --noinput",
        f"DEBUG=1 SITE_URL={site_url} manage.py load_demo --if-empty",
        f"DEBUG=1 SITE_URL={site_url} manage.py runserver {serves}",
    ]


def test_production_block_lists_site_url():
    block = README.split("### Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert "SITE_URL=https://" in block
    assert "python manage.py" not in block.replace(".venv/bin/python manage.py", "")


@pytest.mark.django_db
def test_the_readme_example_paper_imports_into_the_demo_edition(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    example = README.split("```markdown\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "my-paper.md"
    path.write_text(example, encoding="utf-8")
    call_command("import_paper", str(path), stdout=io.StringIO())
    paper = Paper.objects.get(slug="maintainers-care-work")
    assert paper.edition.slug == "colloquy-2026"
    assert paper.status == Paper.Status.PUBLISHED and paper.comments_open
    assert paper.abstract == "One paragraph that sums the paper up."
    assert [person.display_name for person in paper.author_list] == [
        "Farah Siddiqui",
        "Second Author",
    ]
