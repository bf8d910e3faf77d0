"""Time `manage.py import_wxr` on generated WordPress exports, then again on the same file.

    python bench/wxr_import.py [--sizes 10,200] [--databases sqlite,postgresql] [--seed N]

For each size, bench/wxr_generate.py writes an export of about that many MB (posts of 200
comments, deep threads included) into a temporary directory. For each database and size, a
fresh database (a new SQLite file; a PostgreSQL database on 127.0.0.1, made and dropped here) is
migrated, then the file is imported in a child process with DEBUG off and the same file imported
again, unchanged. Each import's wall time is measured from its start to its end, and its peak
memory is the child's own ru_maxrss, read with os.wait4 for that one child. Comments are counted
in the database afterwards. Prints the table and the targets (issue 15): at least 5,000 comments
per second on each database, re-import at least as fast, and the largest file's peak memory
within 1.5x of the smallest's; writes the report to bench/results/ too.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/wxr_import.py`: bench.production is found
from bench.production import PRODUCTION  # noqa: E402

PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/{}"
EDITION = "wxr-bench"
COMMENTS_PER_SECOND = 5000
PEAK_GROWTH = 1.5
DATABASES = ("sqlite", "postgresql")
COUNT = (
    "from comments.models import Comment; from wordpress.models import ImportedComment; "
    "print(Comment.objects.count(), ImportedComment.objects.count())"
)


def log(message):
    print(message, file=sys.stderr, flush=True)


def environment(database_url):
    """The production-mode environment (DEBUG off: no query log growing with the import)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COLLOQUY_", "DEBUG"))}
    return {
        **base,
        **PRODUCTION,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def run(command, env):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-3000:]}")
    return result.stdout


def psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], os.environ)


def timed(command, env, workdir):
    """Run command in a child process: (seconds, peak RSS in MB, stdout); stops on failure.

    os.wait4 returns the resource usage of that one child, so its ru_maxrss (kilobytes on
    Linux) is this run's peak and no other's."""
    out_path, err_path = Path(workdir) / "stdout.txt", Path(workdir) / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if child.returncode:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise SystemExit(
            f"failed ({child.returncode}): {' '.join(map(str, command))}\n{stdout[-1500:]}\n"
            f"{stderr[-3000:]}"
        )
    return seconds, usage.ru_maxrss / 1024, stdout


def summary_counts(stdout):
    """The importer's summary lines 'Comments created|updated|unchanged: N (...)'."""
    return {what: int(n) for what, n in re.findall(r"^Comments (\w+): (\d+)", stdout, re.MULTILINE)}


def generate(size, workdir, seed):
    path = Path(workdir) / f"export-{size:g}mb.xml"
    script = ROOT / "bench" / "wxr_generate.py"
    command = [PYTHON, str(script), "--megabytes", str(size), "--seed", str(seed), "-o", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    facts = json.loads(result.stderr.strip().splitlines()[-1])
    by_type = facts["by_type"]
    facts["expected"] = by_type.get("comment", 0)  # pingbacks and trackbacks are skipped
    facts["path"] = path
    return facts


class Database:
    """A fresh database of one kind for one measurement: its URL, removed afterwards."""

    def __init__(self, kind, workdir, label):
        self.kind = kind
        if kind == "sqlite":
            self.path = Path(workdir) / f"{label}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"colloquy_bench_wxr_{label}".replace("-", "_").replace(".", "_")
            self.url = PG.format(self.name)

    def __enter__(self):
        if self.kind == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {self.name}")
            psql(f"CREATE DATABASE {self.name}")
        return self

    def __exit__(self, *exc):
        if self.kind == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def measure(kind, export, workdir):
    """Import the export into a fresh database, then again: one row of figures."""
    label = f"{kind}-{export['path'].stem}-{os.getpid()}"
    with Database(kind, workdir, label) as db:
        env = environment(db.url)
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        command = [PYTHON, "manage.py", "import_wxr", str(export["path"]), "--edition", EDITION]
        rows = {}
        for run_name in ("import", "re-import"):
            log(f"{kind}: {run_name} of {export['path'].name}")
            seconds, peak_mb, stdout = timed(command, env, workdir)
            counted = run([PYTHON, "manage.py", "shell", "-c", COUNT], env)
            comments, mapped = map(int, counted.strip().splitlines()[-1].split())
            rows[run_name] = {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "comments": comments,
                "mapped": mapped,
                "summary": summary_counts(stdout),
            }
    first, again = rows["import"], rows["re-import"]
    return {
        "database": kind,
        "megabytes": export["bytes"] / 1e6,
        "posts": export["posts"],
        "in_file": export["comments"],
        "expected": export["expected"],
        "comments": first["comments"],
        "import_s": first["seconds"],
        "import_rate": first["comments"] / first["seconds"],
        "peak_mb": first["peak_mb"],
        "reimport_s": again["seconds"],
        "reimport_rate": again["comments"] / again["seconds"],
        "reimport_peak_mb": again["peak_mb"],
        "after_reimport": again["comments"],
        "summary": first["summary"],
        "reimport_summary": again["summary"],
    }


def startup_seconds(workdir):
    """A manage.py command that does nothing: Django's start-up, part of every import's time."""
    env = environment(f"sqlite:///{Path(workdir) / 'startup.sqlite3'}")
    seconds, _, _ = timed([PYTHON, "manage.py", "import_wxr", "--help"], env, workdir)
    return seconds


# The report


def megabytes(r):
    return f"{r['megabytes']:.1f}" if r["megabytes"] < 10 else f"{r['megabytes']:.0f}"


def table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join(row.rstrip() for row in out)


HEADERS = [
    "database",
    "file MB",
    "comments",
    "import s",
    "comments/s",
    "peak MB",
    "re-import s",
    "re-import comments/s",
]


def rows_table(rows):
    return table(
        HEADERS,
        [
            (
                r["database"],
                megabytes(r),
                f"{r['comments']:,}",
                f"{r['import_s']:.1f}",
                f"{r['import_rate']:,.0f}",
                f"{r['peak_mb']:.0f}",
                f"{r['reimport_s']:.1f}",
                f"{r['reimport_rate']:,.0f}",
            )
            for r in rows
        ],
    )


def verdicts(rows):
    """(what, met) for each target of issue 15, per database."""
    out = []
    for kind in dict.fromkeys(r["database"] for r in rows):
        mine = [r for r in rows if r["database"] == kind]
        for r in mine:
            size = f"{megabytes(r)} MB"
            out.append(
                (
                    f"{kind}, {size}: at least {COMMENTS_PER_SECOND:,} comments/s imported"
                    f" ({r['import_rate']:,.0f})",
                    r["import_rate"] >= COMMENTS_PER_SECOND,
                )
            )
            out.append(
                (
                    f"{kind}, {size}: re-import at least as fast ({r['reimport_rate']:,.0f}"
                    f" comments/s against {r['import_rate']:,.0f})",
                    r["reimport_rate"] >= r["import_rate"],
                )
            )
            out.append(
                (
                    f"{kind}, {size}: every comment imported, none twice ({r['comments']:,} of"
                    f" {r['expected']:,}; {r['after_reimport']:,} after re-import)",
                    r["comments"] == r["expected"] == r["after_reimport"],
                )
            )
        if len(mine) > 1:
            small = min(mine, key=lambda r: r["megabytes"])
            large = max(mine, key=lambda r: r["megabytes"])
            ratio = large["peak_mb"] / small["peak_mb"]
            out.append(
                (
                    f"{kind}: peak memory at {megabytes(large)} MB within {PEAK_GROWTH}x of"
                    f" {megabytes(small)} MB ({large['peak_mb']:.0f} against"
                    f" {small['peak_mb']:.0f} MB: {ratio:.2f}x)",
                    ratio <= PEAK_GROWTH,
                )
            )
    return out


NOTES = """\
- Each file is bench/wxr_generate.py's: posts of 200 comments (threads up to 12 deep, about 1 in
  6 pending, spam or trash, 3% pingbacks and trackbacks, which the importer skips); comments
  counts the comments in the database after the import.
- import s is the wall time of `manage.py import_wxr FILE --edition wxr-bench` in a child
  process with DEBUG off, Django's start-up included; comments/s divides the comments by it.
  peak MB is that process's ru_maxrss. Re-import: the same command on the same file again."""


def report_section(rows, startup):
    """The table, its notes and its verdicts: (text, verdicts)."""
    found = verdicts(rows)
    text = "\n".join(
        [
            rows_table(rows),
            "",
            NOTES,
            f"- Django's start-up (`manage.py import_wxr --help`): {startup:.2f} s.",
        ]
    )
    return text, found


def measure_all(sizes, kinds, *, seed=1):
    """Every measurement: (rows, start-up seconds)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="colloquy-wxr-") as workdir:
        startup = startup_seconds(workdir)
        exports = []
        for size in sizes:
            log(f"generating a {size:g} MB export")
            exports.append(generate(size, workdir, seed))
        for kind in kinds:
            for export in exports:
                rows.append(measure(kind, export, workdir))
                log(rows_table(rows[-1:]).splitlines()[-1])  # kept, should a later run fail
    return rows, startup


def database_version(kind):
    if kind == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    out = run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"], os.environ
    )
    return f"PostgreSQL {out.strip()}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,200", help="MB of each export, e.g. 10,200")
    parser.add_argument("--databases", default=",".join(DATABASES), help="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    kinds = [k.strip() for k in args.databases.split(",")]
    for kind in kinds:
        if kind not in DATABASES:
            parser.error(f"--databases: {kind!r} is not one of {', '.join(DATABASES)}")
    started = time.monotonic()
    rows, startup = measure_all(sizes, kinds, seed=args.seed)
    text, found = report_section(rows, startup)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    facts = [
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB,"
        f" {platform.platform()}",
        f"- python: {platform.python_version()}",
        f"- databases: {', '.join(database_version(k) for k in kinds)}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M')}, {time.monotonic() - started:.0f} s in all",
    ]
    parts = ["# WordPress import (bench/wxr_import.py)", "", *facts, "", text, "", "## Targets", ""]
    parts += [f"- {'PASS' if ok else 'FAIL'}: {what}" for what, ok in found]
    output = "\n".join(parts) + "\n"
    print(output)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / time.strftime("wxr-import-%Y%m%d-%H%M%S.md")).write_text(output, encoding="utf-8")


if __name__ == "__main__":
    main()
