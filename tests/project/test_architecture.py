"""The apps' dependencies, as README's "How it is built" draws them: common uses neither app,
papers never uses comments, comments uses papers only through its models and selectors (and
papers.discussion, whether a discussion is open), and
the WordPress import and export builds on both without either knowing of it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(package):
    """(module file, imported module) for every import in a package's own code."""
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                yield path, node.module
                yield from ((path, f"{node.module}.{alias.name}") for alias in node.names)


# Apps built on papers and comments, which neither of them knows of.
APPS_ON_TOP = ("pages", "authoring", "revisions", "wordpress", "feeds", "search")


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("common", ("papers", "comments", *APPS_ON_TOP)),
        ("papers", ("comments", *APPS_ON_TOP)),
        ("comments", APPS_ON_TOP),
    ],
)
def test_a_package_does_not_use_what_builds_on_it(package, forbidden):
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports(package)
        if name.split(".")[0] in forbidden
    ]
    assert found == []


def test_comments_use_papers_through_its_models_and_selectors_only():
    allowed = ("papers.models", "papers.selectors", "papers.discussion")
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, name in _imports("comments")
        if name.split(".")[0] == "papers" and not name.startswith(allowed) and name != "papers"
    ]
    assert found == []
