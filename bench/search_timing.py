"""Time searches with 100,000 approved comments over 200 papers, on SQLite and PostgreSQL.

    python bench/search_timing.py [--comments 100000] [--papers 200] [--queries 200]
                                  [--databases sqlite,postgresql]

For each database: a fresh one is migrated, bench/search_corpus.py makes the conference
(and says how long the import and a rebuild of the index took), then times one- and
two-word queries through the results page (DEBUG off). Prints the table and the target
(issue 17): p95 under 50 ms for one- and two-word queries on each database; writes the
report to bench/results/ too.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/search_timing.py`
from bench.wxr_import import (  # noqa: E402
    DATABASES,
    PYTHON,
    Database,
    database_version,
    environment,
    log,
    run,
    table,
)

P95_TARGET_MS = 50
CORPUS = str(ROOT / "bench" / "search_corpus.py")


def measure(kind, workdir, *, comments, papers, queries):
    with Database(kind, workdir, f"search-{kind}") as db:
        env = {**environment(db.url), "COLLOQUY_SEARCHES_PER_MINUTE": "1000000000"}
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], env)
        log(f"{kind}: making {papers} papers and {comments:,} comments")
        loaded = run(
            [PYTHON, CORPUS, "load", "--papers", str(papers), "--comments", str(comments)], env
        )
        log(f"{kind}: searching")
        timed = run([PYTHON, CORPUS, "query", "--queries", str(queries)], env)
    return {
        "load": json.loads(loaded.splitlines()[-1]),
        "query": json.loads(timed.splitlines()[-1]),
    }


def report_section(rows, comments, papers, queries):
    """The tables and verdicts: (text, [(what, ok)])."""
    lines = table(
        ["database", "query", "median ms", "p95 ms", "max ms", "median results", "max results"],
        [
            (
                kind,
                label,
                f"{t['median_ms']:.1f}",
                f"{t['p95_ms']:.1f}",
                f"{t['max_ms']:.1f}",
                f"{t['median_results']:,.0f}",
                f"{t['max_results']:,}",
            )
            for kind, row in rows
            for label, t in row["query"].items()
        ],
    )
    indexing = table(
        ["database", "entries", "import incl. index s", "index rebuilt s"],
        [
            (
                kind,
                f"{row['load']['entries']:,}",
                f"{row['load']['import_s']:.1f}",
                f"{row['load']['rebuild_s']:.1f}",
            )
            for kind, row in rows
        ],
    )
    notes = (
        f"{comments:,} approved comments over {papers} published papers; {queries} queries of "
        "each length, their words drawn with the text's own word frequencies (bench/"
        "search_corpus.py); each one GET of the results page, first page of 20, with its "
        "count, snippets and rendering."
    )
    found = [
        (f"{kind}: p95 under {P95_TARGET_MS} ms, {label} queries", t["p95_ms"] < P95_TARGET_MS)
        for kind, row in rows
        for label, t in row["query"].items()
    ]
    return "\n\n".join([lines, notes, "Indexing:", indexing]), found


def measure_all(kinds, *, comments=100000, papers=200, queries=200):
    with tempfile.TemporaryDirectory(prefix="colloquy-search-") as workdir:
        rows = [
            (kind, measure(kind, workdir, comments=comments, papers=papers, queries=queries))
            for kind in kinds
        ]
    return report_section(rows, comments, papers, queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100000)
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--databases", default=",".join(DATABASES), help="sqlite,postgresql")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.databases.split(",")]
    text, found = measure_all(
        kinds, comments=args.comments, papers=args.papers, queries=args.queries
    )
    versions = ", ".join(database_version(kind) for kind in kinds)
    text = "\n".join(
        [
            "# Colloquy search benchmark",
            "",
            f"- {versions}; {time.strftime('%Y-%m-%d %H:%M')}",
            "",
            text,
            "",
            "## Targets",
            "",
            *(f"- {'PASS' if ok else 'FAIL'}: {what}" for what, ok in found),
        ]
    )
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / time.strftime("search-%Y%m%d-%H%M%S.md")).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
