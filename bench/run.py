"""The benchmark: Colloquy's paper page against django-comments-xtd 2.10 and a static file.

    python bench/run.py [--quick] [--sqlite-only] [--no-xtd] [--million] [--no-wxr] [--no-search]

Everything runs on throw-away databases (a temporary SQLite file; PostgreSQL databases
colloquy_bench and colloquy_bench_xtd, made and dropped here) and prints plain tables, also
written to bench/results/. Each measurement runs in a fresh process with DEBUG off.
django-comments-xtd is installed into its own virtualenv, never into the project.
The WordPress import (bench/wxr_import.py: 10 and 200 MB exports, imported and re-imported) and
search (bench/search_timing.py: 100,000 comments over 200 papers) are sections of their own;
--no-wxr, --no-search or --quick leave them out.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/run.py`: bench.production is found
from bench import search_timing, wxr_import  # noqa: E402
from bench.production import PRODUCTION, gunicorn  # noqa: E402

BENCH = ROOT / "bench"
PYTHON = sys.executable
XTD_VENV = Path(tempfile.gettempdir()) / "colloquy-bench-xtd-venv"
XTD_REQUIREMENTS = ["django-comments-xtd==2.10.*", "Django>=5.2,<6", "psycopg[binary]", "gunicorn"]
PG = "postgres://postgres@127.0.0.1:5432/{}"
SIZES = [0, 10, 100, 1000, 5000]
QUICK_SIZES = [0, 10, 100]
WRK_SIZES = [100, 1000]
SIGNED_IN = "Colloquy, signed-in reader"
SIGNED_IN_OPTIONS = ["--signed-in", "--expect", "Logged in as"]
# (N, how many times faster than django-comments-xtd the uncached page must be)
XTD_TARGETS = [(0, 1.5), (10, 1.5), (1000, 15)]
CACHED_UNDER_LOAD = 1.1  # at most this many times the static file's time per request
UNCACHED = {**PRODUCTION, "COLLOQUY_PAGE_CACHE_SECONDS": "0"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(command, env, *, cwd=ROOT, stdin=None):
    result = subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-3000:]}")
    return result.stdout


def our_env(database_url, **overrides):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COLLOQUY_", "DEBUG"))}
    env = {**base, **UNCACHED, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    return {**env, **overrides}


def xtd_env(database_url):
    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "xtd_site.settings",
        "PYTHONPATH": str(BENCH),
    }


def manage(env, *args):
    return run([PYTHON, "manage.py", *args], env)


def measure(python, env, path, *, repeat, options=()):
    command = [python, str(BENCH / "measure.py"), path, "--repeat", str(repeat), *options]
    return json.loads(run(command, env).strip().splitlines()[-1])


# Databases


@contextmanager
def databases(kind, workdir):
    """(ours, xtd) database URLs, made empty here and removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir}/ours.sqlite3", f"sqlite:///{workdir}/xtd.sqlite3"
        return
    names = ["colloquy_bench", "colloquy_bench_xtd"]
    for name in names:
        _psql(f"DROP DATABASE IF EXISTS {name}")
        _psql(f"CREATE DATABASE {name}")
    try:
        yield PG.format(names[0]), PG.format(names[1])
    finally:
        for name in names:
            _psql(f"DROP DATABASE IF EXISTS {name}")


def _psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], os.environ)


# django-comments-xtd


def xtd_python():
    python = XTD_VENV / "bin" / "python"
    if not python.exists():
        log("installing django-comments-xtd 2.10 into a throw-away virtualenv")
        run([PYTHON, "-m", "venv", str(XTD_VENV)], os.environ)
        run([str(python), "-m", "pip", "install", "-q", *XTD_REQUIREMENTS], os.environ)
    return str(python)


def xtd_version(python):
    code = (
        "from importlib.metadata import version as v; "
        "print('django-comments-xtd', v('django-comments-xtd'), '/ Django', v('Django'))"
    )
    return run([python, "-c", code], os.environ).strip()


def load_into_xtd(python, our, xtd, slug):
    tree = run([PYTHON, str(BENCH / "export_tree.py"), slug], our)
    return run([python, str(BENCH / "xtd_site" / "load_tree.py"), slug], xtd, stdin=tree).strip()


# Serving under load


def wrk(url):
    output = run(["wrk", "-c4", "-t2", "-d10s", url], os.environ)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("installing wrk from Debian")
    run(["apt-get", "install", "-y", "-qq", "wrk"], os.environ)


# The run


# The uncached page draws its discussion on every request and keeps the paper's article
# (settings.COLLOQUY_ARTICLE_CACHE_SECONDS), as every signed-in reader gets it; this row draws
# the article too, to show what keeping it saves.
NOTHING_KEPT = "Colloquy, nothing kept"


def page_rows(kind, our, xtd, python, sizes, *, repeat, static_dir):
    """Per-request figures for each N; returns rows and the paper paths by N."""
    rows, paths = [], {}
    for n in sizes:
        log(f"{kind}: generating {n} comments")
        path = manage(our, "generate_discussion", "--comments", str(n), "--seed", str(n))
        path = path.strip().splitlines()[-1]
        paths[n] = path
        uncached = measure(PYTHON, our, path, repeat=repeat)
        rows.append((kind, n, "Colloquy, uncached", uncached))
        drawn = {**our, "COLLOQUY_ARTICLE_CACHE_SECONDS": "0"}  # the paper's article too
        rows.append((kind, n, NOTHING_KEPT, measure(PYTHON, drawn, path, repeat=repeat)))
        cached_env = {**our, "COLLOQUY_PAGE_CACHE_SECONDS": "300"}
        rows.append((kind, n, "Colloquy, cached", measure(PYTHON, cached_env, path, repeat=repeat)))
        rows.append(
            (kind, n, SIGNED_IN, signed_in(kind, n, cached_env, path, uncached, repeat=repeat))
        )
        if n >= 5000:
            paged = {**our, "COLLOQUY_THREADS_PER_PAGE": "50"}
            rows.append(
                (
                    kind,
                    n,
                    "Colloquy, page 1 of 50 threads",
                    measure(PYTHON, paged, path, repeat=repeat),
                )
            )
        page = _fetch_page(our, path)
        (static_dir / f"page-{kind}-{n}.html").write_bytes(page)
        if python:
            log(f"{kind}: loading {n} comments into django-comments-xtd")
            xtd_path = load_into_xtd(python, our, xtd, f"generated-discussion-{n}-1")
            paths[("xtd", n)] = xtd_path
            rows.append(
                (kind, n, "django-comments-xtd", measure(python, xtd, xtd_path, repeat=repeat))
            )
    return rows, paths


def signed_in(kind, n, env, path, anonymous, *, repeat):
    """The page as a plain signed-in reader gets it, with the page cache on as in production:
    a signed-in request never comes from it. Stops the run unless the page is the reader's."""
    timing = measure(PYTHON, env, path, repeat=repeat, options=SIGNED_IN_OPTIONS)
    if not timing["queries"] or timing["queries"] == anonymous["queries"]:
        raise SystemExit(
            f"{kind}, N = {n}: the signed-in page made {timing['queries']} queries and the"
            f" anonymous one {anonymous['queries']}: was the reader's session used?"
        )
    return timing


def _fetch_page(env, path):
    code = (
        "import django; django.setup(); from django.test import Client; import sys; "
        f"sys.stdout.buffer.write(Client(HTTP_HOST='127.0.0.1').get({path!r}).content)"
    )
    return subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout


def static_rows(kind, our, sizes, *, repeat):
    rows = []
    for n in sizes:
        path = f"/static/bench/page-{kind}-{n}.html"
        rows.append((kind, n, "static file (limit)", measure(PYTHON, our, path, repeat=repeat)))
    return rows


def load_rows(kind, our, xtd, python, paths):
    gunicorn_bin = str(Path(PYTHON).with_name("gunicorn"))
    rows = []
    for n in WRK_SIZES:
        log(f"{kind}: wrk at N = {n}")
        with gunicorn(gunicorn_bin, "conference.wsgi:application", our) as base:
            rows.append((kind, n, "Colloquy, uncached", wrk(base + paths[n])))
            rows.append(
                (kind, n, "static file (limit)", wrk(f"{base}/static/bench/page-{kind}-{n}.html"))
            )
        cached = {**our, "COLLOQUY_PAGE_CACHE_SECONDS": "300"}
        with gunicorn(gunicorn_bin, "conference.wsgi:application", cached) as base:
            rows.append((kind, n, "Colloquy, cached", wrk(base + paths[n])))
        if python:
            xtd_gunicorn = str(Path(python).with_name("gunicorn"))
            with gunicorn(
                xtd_gunicorn, "xtd_site.wsgi:application", xtd, extra=["--pythonpath", str(BENCH)]
            ) as base:
                rows.append((kind, n, "django-comments-xtd", wrk(base + paths[("xtd", n)])))
    return rows


def posting_rows(kind, our, *, million):
    rows = []
    targets = [10_000, 1_000_000] if million else [10_000]
    for target in targets:
        stored = int(
            manage(
                our,
                "shell",
                "-c",
                "from comments.models import Comment; print(Comment.objects.count())",
            )
            .strip()
            .splitlines()[-1]
        )
        if target > stored:
            log(f"{kind}: generating comments up to {target}")
            papers = max(1, (target - stored) // 10_000)
            manage(
                our,
                "generate_discussion",
                "--comments",
                str(target - stored),
                "--papers",
                str(papers),
                "--seed",
                "99",
            )
        timing = json.loads(
            run([PYTHON, str(BENCH / "post_timing.py"), "20"], our).strip().splitlines()[-1]
        )
        rows.append((kind, timing["stored"], timing))
    return rows


def markdown_rows(env):
    timing = json.loads(run([PYTHON, str(BENCH / "markdown_timing.py")], env).splitlines()[-1])
    return [(mode, t) for mode, t in timing.items()]


# Tables


def table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join(out)


def markdown_report(markdown):
    """The table of hostile Markdown's rendering times, and its target."""
    rows = [
        (mode, t["inputs"], f"{t['median_ms']:.1f}", f"{t['worst_ms']:.1f}", t["worst_input"])
        for mode, t in markdown
    ]
    text = table(["rendered as", "inputs", "median ms", "worst ms", "worst input"], rows)
    worst = max(t["worst_ms"] for _, t in markdown)
    verdict = (f"hostile Markdown renders in under 200 ms (worst {worst:.0f} ms)", worst < 200)
    return text, verdict


def _queries_by_n(by, kind, variant):
    found = {n: m["queries"] for (k, n, v), m in sorted(by.items()) if (k, v) == (kind, variant)}
    same = len(set(found.values())) == 1
    if same:
        return f"{next(iter(found.values()))} at N = {', '.join(f'{n:,}' for n in found)}", True
    return ", ".join(f"{q} at N = {n:,}" for n, q in found.items()), False


def page_verdicts(pages):
    """The page table's targets, per database: (what, met)."""
    by = {(k, n, v): m for k, n, v, m in pages}
    verdicts = []
    for kind in sorted({k for k, *_ in pages}):
        for n, times in XTD_TARGETS:
            ours = by.get((kind, n, "Colloquy, uncached"))
            theirs = by.get((kind, n, "django-comments-xtd"))
            if ours and theirs:
                ratio = theirs["median_ms"] / ours["median_ms"]
                verdicts.append(
                    (
                        f"{kind}: N = {n:,} uncached at least {times}x faster than"
                        f" django-comments-xtd ({ratio:.1f}x)",
                        ratio >= times,
                    )
                )
        for variant, who in [("Colloquy, uncached", "anonymous"), (SIGNED_IN, "signed-in")]:
            if any((k, v) == (kind, variant) for k, _, v in by):
                counts, same = _queries_by_n(by, kind, variant)
                verdicts.append(
                    (f"{kind}: {who} page, the same SQL query count at every N ({counts})", same)
                )
    return verdicts


def load_verdicts(loads):
    """The cached page against the static file under load, at each N measured with wrk."""
    rps = {(k, n, v): r for k, n, v, r in loads}
    verdicts = []
    for kind, n in dict.fromkeys((k, n) for k, n, *_ in loads):
        static = rps.get((kind, n, "static file (limit)"))
        cached = rps.get((kind, n, "Colloquy, cached"))
        if static and cached:
            ratio = static / cached
            verdicts.append(
                (
                    f"{kind}: cached page within {CACHED_UNDER_LOAD}x of the static file under"
                    f" load (N = {n:,}: {ratio:.2f}x)",
                    ratio <= CACHED_UNDER_LOAD,
                )
            )
    return verdicts


NOTES = f"""\
- Each site's page is the page of one article with its discussion and its comment form: our
  paper page, and django-comments-xtd's article page rendering its documented
  render_xtdcomment_tree and render_comment_form tags (bench/xtd_site/templates/article.html),
  as every real django-comments-xtd page has its comment form and ours always renders one.
  django-comments-xtd's page is measured as an anonymous visitor gets it.
- Colloquy, uncached: COLLOQUY_PAGE_CACHE_SECONDS=0: the discussion drawn on every request,
  the paper's article above it kept under the paper's version (COLLOQUY_ARTICLE_CACHE_SECONDS,
  as every reader gets it); {NOTHING_KEPT}: the article drawn on every request too; cached:
  300 s, the same request again; static file: the uncached page's bytes, served by the same
  WSGI application (WhiteNoise). The targets against django-comments-xtd use the uncached row.
- {SIGNED_IN}: a plain user (no permissions) with a session in the
  measured database, its session cookie sent with every request; the page cache is on
  (300 s), as in production, and never serves a signed-in request, so each request renders
  the page. Checked in each run: the page says "Logged in as" and makes other queries than
  the anonymous page.
- Under load, the cached page against the static file is the static file's requests/s
  divided by the cached page's (target: at most {CACHED_UNDER_LOAD}x)."""


def report(machine, pages, loads, posts, markdown, args, wxr=None, search=None):
    parts = ["# Colloquy benchmark", "", "\n".join(f"- {k}: {v}" for k, v in machine.items()), ""]
    parts.append("## Paper page through the site's WSGI application (DEBUG off)\n")
    parts.append(
        table(
            ["db", "N", "variant", "median ms", "p95 ms", "queries", "bytes", "peak RSS MB"],
            [
                (
                    k,
                    n,
                    v,
                    f"{m['median_ms']:.2f}",
                    f"{m['p95_ms']:.2f}",
                    m["queries"],
                    m["bytes"],
                    f"{m['peak_rss_mb']:.0f}",
                )
                for k, n, v, m in pages
            ],
        )
    )
    by = {(k, n, v): m for k, n, v, m in pages}
    ratios = []
    for kind in sorted({k for k, *_ in pages}):
        for n in sorted({n for k, n, *_ in pages if k == kind}):
            ours = by.get((kind, n, "Colloquy, uncached"))
            theirs = by.get((kind, n, "django-comments-xtd"))
            cached = by.get((kind, n, "Colloquy, cached"))
            static = by.get((kind, n, "static file (limit)"))
            ratios.append(
                (
                    kind,
                    n,
                    f"{theirs['median_ms'] / ours['median_ms']:.1f}x" if theirs else "–",
                    f"{cached['median_ms'] / static['median_ms']:.2f}x" if static else "–",
                )
            )
    verdicts = page_verdicts(pages)
    parts += [
        "",
        "## Ratios (medians)\n",
        table(["db", "N", "xtd / ours uncached", "ours cached / static"], ratios),
    ]
    if loads:
        parts += ["", "## Requests per second: gunicorn, 2 workers; wrk -c4 -t2 -d10s\n"]
        parts.append(
            table(
                ["db", "N", "variant", "requests/s"],
                [(k, n, v, f"{r:.1f}") for k, n, v, r in loads],
            )
        )
        verdicts += load_verdicts(loads)
    if posts:
        parts += ["", "## Posting one comment through the whole pipeline\n"]
        parts.append(
            table(
                ["db", "comments stored", "median ms", "max ms"],
                [(k, s, f"{t['median_ms']:.2f}", f"{t['max_ms']:.2f}") for k, s, t in posts],
            )
        )
        for kind in sorted({k for k, *_ in posts}):
            times = [t["median_ms"] for k, _, t in posts if k == kind]
            if len(times) > 1:
                verdicts.append(
                    (
                        f"{kind}: posting time flat from 10,000 to 1,000,000 stored",
                        times[-1] <= 2 * times[0],
                    )
                )
        if not args.million:
            parts.append("\n(1,000,000 stored comments: skipped; run with --million)")
    if markdown:
        text, verdict = markdown_report(markdown)
        parts += ["", "## Hostile Markdown, 10,000 characters (bench/markdown_corpus.py)\n", text]
        verdicts.append(verdict)
    if wxr:
        text, found = wxr_import.report_section(*wxr)
        parts += ["", "## WordPress import (bench/wxr_import.py)\n", text]
        verdicts += found
    if search:
        text, found = search
        parts += ["", "## Search (bench/search_timing.py)\n", text]
        verdicts += found
    parts += ["", "## Notes\n", NOTES]
    parts += ["", "## Targets\n"] + [
        f"- {'PASS' if ok else 'FAIL'}: {what}" for what, ok in verdicts
    ]
    return "\n".join(parts) + "\n"


def machine_facts(kinds, xtd):
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    facts = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}",
        "python": platform.python_version(),
        "databases": ", ".join(wxr_import.database_version(k) for k in kinds),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    if xtd:
        facts["django-comments-xtd, Django"] = xtd_version(xtd)
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="N = 0, 10 and 100 only, no load, no xtd"
    )
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--no-xtd", action="store_true")
    parser.add_argument("--million", action="store_true", help="also post with 1,000,000 stored")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-wxr", action="store_true", help="leave out the WordPress import")
    parser.add_argument("--wxr-sizes", default="10,200", help="MB of the WordPress exports")
    parser.add_argument("--no-search", action="store_true", help="leave out the search timing")
    args = parser.parse_args()
    kinds = ["sqlite"] if args.sqlite_only else ["sqlite", "postgres"]
    sizes = QUICK_SIZES if args.quick else SIZES
    python = None if (args.quick or args.no_xtd) else xtd_python()
    if not args.quick:
        ensure_wrk()
    pages, loads, posts = [], [], []
    with tempfile.TemporaryDirectory() as workdir:
        for kind in kinds:
            with databases(kind, workdir) as (our_url, xtd_url):
                our, xtd = our_env(our_url), xtd_env(xtd_url)
                manage(our, "migrate", "--noinput")
                manage(our, "collectstatic", "--noinput")
                if python:
                    run(
                        [python, "-m", "django", "migrate", "--run-syncdb", "--noinput"],
                        xtd,
                        cwd=BENCH,
                    )
                static_dir = ROOT / "staticfiles" / "bench"
                static_dir.mkdir(parents=True, exist_ok=True)
                rows, paths = page_rows(
                    kind, our, xtd, python, sizes, repeat=args.repeat, static_dir=static_dir
                )
                pages += rows + static_rows(kind, our, sizes, repeat=args.repeat)
                if not args.quick:
                    loads += load_rows(kind, our, xtd, python, paths)
                    posts += posting_rows(kind, our, million=args.million)
    markdown = markdown_rows(our_env("sqlite://:memory:"))
    wxr = search = None
    named = ["postgresql" if kind == "postgres" else kind for kind in kinds]
    if not (args.quick or args.no_wxr):
        sizes = [float(size) for size in args.wxr_sizes.split(",")]
        wxr = wxr_import.measure_all(sizes, named)
    if not (args.quick or args.no_search):
        search = search_timing.measure_all(named)
    facts = machine_facts(kinds, python)
    text = report(facts, pages, loads, posts, markdown, args, wxr, search)
    print(text)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    (results / time.strftime("%Y%m%d-%H%M%S.md")).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
