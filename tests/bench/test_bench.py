"""The benchmark runs end to end at small N, so it cannot rot unnoticed; its targets are judged
as the issue states them."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def rows_of(variant, stdout):
    return re.findall(
        rf"^sqlite\s+(\d+)\s+{re.escape(variant)}\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)",
        stdout,
        re.M,
    )


def test_quick_benchmark_generates_measures_and_prints_the_table():
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--sqlite-only", "--repeat", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    anonymous = rows_of("Colloquy, uncached", result.stdout)
    signed_in = rows_of("Colloquy, signed-in reader", result.stdout)
    assert [row[0] for row in anonymous] == [row[0] for row in signed_in] == ["0", "10", "100"]
    for _n, median, p95, queries, size in anonymous + signed_in:
        assert 0 < float(median) <= float(p95)
        assert int(queries) > 0 and int(size) > 5_000
    for theirs, ours in zip(anonymous, signed_in, strict=True):
        assert ours[3] != theirs[3]  # the reader's session and user are read: not the same page
    assert len({row[3] for row in anonymous}) == 1  # the query count does not grow with N
    assert len({row[3] for row in signed_in}) == 1
    assert "static file (limit)" in result.stdout
    assert "PASS: sqlite: anonymous page, the same SQL query count at every N" in result.stdout
    assert "PASS: sqlite: signed-in page, the same SQL query count at every N" in result.stdout
    assert "render_comment_form" in result.stdout  # the notes say what is compared


def timing(median_ms, queries=5):
    return {"median_ms": median_ms, "p95_ms": median_ms, "queries": queries, "bytes": 1}


def test_page_targets_against_xtd_and_query_counts():
    pages = []
    for n, ours, theirs in [(0, 2.0, 3.0), (10, 2.0, 2.9), (100, 5.0, 20.0), (1000, 10.0, 150.0)]:
        pages.append(("sqlite", n, "Colloquy, uncached", timing(ours)))
        pages.append(("sqlite", n, "django-comments-xtd", timing(theirs, queries=4)))
        pages.append(("sqlite", n, bench.SIGNED_IN, timing(ours, queries=8 if n else 7)))
    verdicts = dict(bench.page_verdicts(pages))
    assert verdicts == {
        "sqlite: N = 0 uncached at least 1.5x faster than django-comments-xtd (1.5x)": True,
        "sqlite: N = 10 uncached at least 1.5x faster than django-comments-xtd (1.4x)": False,
        "sqlite: N = 1,000 uncached at least 15x faster than django-comments-xtd (15.0x)": True,
        "sqlite: anonymous page, the same SQL query count at every N"
        " (5 at N = 0, 10, 100, 1,000)": True,
        "sqlite: signed-in page, the same SQL query count at every N"
        " (7 at N = 0, 8 at N = 10, 8 at N = 100, 8 at N = 1,000)": False,
    }


def test_without_xtd_only_the_query_counts_are_judged():
    pages = [("postgres", n, "Colloquy, uncached", timing(3.0)) for n in (0, 10)]
    [(what, ok)] = bench.page_verdicts(pages)
    assert what.startswith("postgres: anonymous page") and ok


def test_cached_page_within_a_tenth_of_the_static_file_under_load_at_each_n():
    loads = [
        ("sqlite", 100, "Colloquy, uncached", 200.0),
        ("sqlite", 100, "static file (limit)", 5000.0),
        ("sqlite", 100, "Colloquy, cached", 4600.0),
        ("sqlite", 1000, "static file (limit)", 1600.0),
        ("sqlite", 1000, "Colloquy, cached", 1400.0),
    ]
    assert bench.load_verdicts(loads) == [
        ("sqlite: cached page within 1.1x of the static file under load (N = 100: 1.09x)", True),
        ("sqlite: cached page within 1.1x of the static file under load (N = 1,000: 1.14x)", False),
    ]


def test_a_signed_in_page_with_the_anonymous_query_count_stops_the_run(monkeypatch):
    monkeypatch.setattr(bench, "measure", lambda *args, **kwargs: timing(4.0, queries=5))
    with pytest.raises(SystemExit, match="was the reader's session used"):
        bench.signed_in("sqlite", 10, {}, "/p/", timing(3.0, queries=5), repeat=3)
