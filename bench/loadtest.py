"""Load test: concurrent replies into the same threads under gunicorn, with a worker killed.

    python bench/loadtest.py [--quick] [--sqlite-only] [--clients N] [--posts N] [--seconds S]

For each database (a temporary SQLite file; the PostgreSQL database colloquy_loadtest on
127.0.0.1, made and dropped here) a paper with approved comments is made with the project's
own code (the discussion generator, the comment services); gunicorn serves the site with 4
workers and DEBUG off, sharing the page cache in Redis (database 7, flushed first); N client
threads each post replies through the real comment form: fetch the paper page, take the
form's token and action, post, do not follow the redirect. Some posts are the same form
sent twice at once (a double submit). A second run on the same database kills one gunicorn
worker mid-run.

After each run the database is read directly (the ORM, through manage.py shell) and checked:
every acknowledged post (a redirect to #comment-ID) is stored exactly once under that ID, no
post is stored twice, double submits lead to one comment, the tree is intact, the paper's
comment count equals its approved comments, the cached page shows exactly the approved
comments, and no request got a 5xx. Prints a table and PASS/FAIL lines; exits 1 on a FAIL.
Only 127.0.0.1 is contacted; stdlib only on the client side.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/loadtest.py`: bench.production is found
from bench.production import PRODUCTION, free_port  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_DATABASE = "colloquy_loadtest"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
REDIS_DB = 7
WORKERS = 4
SEED_COMMENTS = 20
THINK_SECONDS = 3.2  # longer than the moderation's fastest human posting time (3 s)
WAVE_SECONDS = 0.5  # posts that waited are sent on a shared beat, so that they collide
HTTP_TIMEOUT = 30
ACK = re.compile(r"(?:#comment-|/comments/)(\d+)/?$")
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
ADDRESSES = itertools.count(1 << 16)  # client addresses, never one twice in a process

# Site settings: production mode, Redis shared by the workers, one proxy in front (the
# X-Forwarded-For each client sends), no e-mail leaving the machine, all threads on one page.
# A guest's first comment is not held, so that posts which wait like a person are approved
# and move the paper's comment count; fast posts still go to spam, linky ones are held.
SITE = {
    **PRODUCTION,
    "TRUSTED_PROXIES": "1",
    "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "TASKS_BACKEND": "immediate",
    "COLLOQUY_HOLD_FIRST_COMMENT": "0",
}
CLEARED = ("COLLOQUY_", "DEBUG", "DATABASE_URL", "REDIS_URL", "CACHE_KEY_PREFIX", "EMAIL_")


def log(message):
    print(message, file=sys.stderr, flush=True)


def site_env(database_url, tag):
    base = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    return {
        **base,
        **SITE,
        "DATABASE_URL": database_url,
        "CACHE_KEY_PREFIX": f"colloquy-loadtest-{tag}",
        "PYTHONPATH": str(ROOT),
    }


def run(command, env):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{result.stderr[-3000:]}")
    return result.stdout


def manage(env, *args):
    return run([PYTHON, "manage.py", *args], env)


def shell_json(env, code):
    """Run code in `manage.py shell` with the site's settings; its last line is JSON."""
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


# Databases and Redis


@contextmanager
def database(kind, workdir):
    """An empty database's URL, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir}/loadtest.sqlite3"
        return
    _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    _psql(f"CREATE DATABASE {PG_DATABASE}")
    try:
        yield PG_URL
    finally:
        _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def _psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql], os.environ)


def redis_flush():
    """Empty our own Redis database (RESP spoken directly: the client stays stdlib only)."""
    with socket.create_connection(("127.0.0.1", 6379), timeout=5) as sock:
        sock.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(REDIS_DB))}\r\n{REDIS_DB}\r\n".encode())
        sock.sendall(b"*1\r\n$7\r\nFLUSHDB\r\n")
        answer = b""
        while answer.count(b"\r\n") < 2:
            chunk = sock.recv(100)
            if not chunk:
                break
            answer += chunk
    if answer != b"+OK\r\n+OK\r\n":
        raise SystemExit(f"Redis on 127.0.0.1:6379 did not flush database {REDIS_DB}: {answer!r}")


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(100) == b"+PONG\r\n"
    except OSError:
        return False


# The paper: approved comments from the generator behind `manage.py generate_discussion`,
# and one thread made as deep as threads go through the comment services.

SETUP = """
import json
from django.conf import settings
from comments.models import Comment
from comments.services import Identity, comment_create, comment_set_status
from demo.generator import generate

[paper] = generate(comments={comments}, seed=7)
parent = Comment.objects.approved().filter(paper=paper).order_by("-depth", "id").first()
n = 0
while parent.depth < settings.COLLOQUY_MAX_THREAD_DEPTH:
    n += 1
    comment, _ = comment_create(
        paper=paper,
        identity=Identity(f"Setup Reader {{n}}", f"setup-reader-{{n}}@example.net"),
        body=f"Setup reply number {{n}}, one level deeper than the last, so that replies "
        "to the deepest level are posted too.",
        parent=parent,
    )
    comment_set_status(comment, "approved", actor=None, reason="load test setup")
    parent = comment
approved = Comment.objects.approved().filter(paper=paper)
print(json.dumps({{
    "paper": paper.pk,
    "path": paper.get_absolute_url(),
    "max_depth": settings.COLLOQUY_MAX_THREAD_DEPTH,
    "parents": {{c.pk: [c.depth, c.parent_id] for c in approved}},
}}))
"""


def prepare(env):
    """Migrate, collect static files, make the paper; returns what the clients need."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    setup = shell_json(env, SETUP.format(comments=SEED_COMMENTS))
    setup["parents"] = {int(k): tuple(v) for k, v in setup["parents"].items()}
    return setup


# gunicorn


class Server:
    """gunicorn with WORKERS workers on a free port; stderr goes to a log file."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "conference.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = request(self.port, "GET", "/static/favicon.svg", {})
                if status and len(self.workers()) == WORKERS:
                    break
            except (OSError, http.client.HTTPException):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn did not start; see {log_path}")
            time.sleep(0.2)

    def workers(self):
        """The master's children, from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def busy_workers(self):
        """Workers holding an open connection from a client: serving a request right now."""
        served = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == self.port:
                served.add(f"socket:[{fields[9]}]")  # ESTABLISHED, on the server's side
        busy = []
        for pid in self.workers():
            try:
                if any(os.readlink(fd) in served for fd in Path(f"/proc/{pid}/fd").iterdir()):
                    busy.append(pid)
            except OSError:
                continue
        return busy

    def kill_worker(self, within=5):
        """SIGKILL a worker, one in the middle of a request if one is within a few seconds;
        returns its pid and whether it was serving a request."""
        deadline = time.monotonic() + within
        while not (busy := self.busy_workers()) and time.monotonic() < deadline:
            time.sleep(0.01)
        pid = random.choice(busy or self.workers())
        os.kill(pid, signal.SIGKILL)
        return pid, bool(busy)

    def wait_for_workers(self, gone, timeout=30):
        """Whether gunicorn is back to WORKERS workers, none of them the killed one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.workers()
            if len(pids) == WORKERS and gone not in pids:
                return True
            time.sleep(0.2)
        return False

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # quick shutdown: the run is over
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def errors(self):
        """The last line of each traceback gunicorn logged, counted."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        found = Counter()
        for n, line in enumerate(lines):
            if line.startswith("Traceback"):
                tail = next(
                    (x for x in lines[n + 1 :] if x and not x.startswith((" ", "Traceback"))),
                    "?",
                )
                found[tail[:200]] += 1
        return found


# HTTP, stdlib only


def request(port, method, path, headers, body=None):
    """(status, Location, body); a connection error raises OSError or HTTPException."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read()
    finally:
        conn.close()


class CommentForm(HTMLParser):
    """The comment form's action and token in a paper page."""

    def __init__(self, page):
        super().__init__()
        self.action = self.token = None
        self._inside = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self._inside = True
            self.action = (attrs.get("action") or "").split("#")[0]
        elif tag == "input" and self._inside and attrs.get("name") == "token":
            self.token = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def body_text(rng, marker, links):
    """Distinct made-up words, so that no two posts look alike to the duplicate checks."""
    words = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(18, 30))
    ]
    text = f"{marker} " + " ".join(words) + "."
    if links:  # more than two links: held for moderation
        text += "".join(f" https://example.org/{marker}/{n}" for n in range(3))
    return text


# One run


@dataclass
class Post:
    """One comment a client meant to post (a double submit sends its form twice)."""

    marker: str
    parent: int | None
    double: bool
    resent: bool = False  # sent again after a connection error
    answers: list = field(default_factory=list)  # (status or None, comment id or None)

    @property
    def ids(self):
        return {i for _, i in self.answers if i is not None}


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []
        self.statuses = Counter()  # by status code, every request
        self.server_errors = []  # (method, path, status)
        self.connection_errors = Counter()  # by method
        self.post_latencies = []
        self.requests = 0
        self.formless = 0  # paper pages answered without the comment form

    def answered(self, method, path, status, seconds):
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append((method, path, status))
            if method == "POST":
                self.post_latencies.append(seconds)

    def failed(self, method):
        with self.lock:
            self.requests += 1
            self.connection_errors[method] += 1


class Client(threading.Thread):
    def __init__(self, number, *, port, setup, tag, posts, deadline, tally, addresses):
        super().__init__(daemon=True)
        self.number, self.port, self.setup, self.tag = number, port, setup, tag
        self.count, self.deadline, self.tally, self.addresses = posts, deadline, tally, addresses
        self.rng = random.Random(f"{tag}-{number}")

    def call(self, method, path, headers, body=None):
        """(status, Location, body) or None on a connection error; tallied."""
        started = time.monotonic()
        try:
            status, location, content = request(self.port, method, path, headers, body)
        except (OSError, http.client.HTTPException):
            self.tally.failed(method)
            return None
        self.tally.answered(method, path, status, time.monotonic() - started)
        return status, location, content

    def run(self):
        parents = list(self.setup["parents"])
        for n in range(self.count):
            if time.monotonic() > self.deadline:
                return
            # Each post comes from a visitor of its own (address and e-mail): the flood check
            # allows one post per address or e-mail in 15 s, and a client posts faster.
            k = next(self.addresses)
            address = f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}"
            headers = {"Host": "127.0.0.1", "X-Forwarded-For": address}
            answer = self.call("GET", self.setup["path"], headers)
            if answer is None or answer[0] != 200:
                continue
            form = CommentForm(answer[2].decode())
            if not (form.action and form.token):
                with self.tally.lock:
                    self.tally.formless += 1
                continue
            marker = f"{self.tag}-c{self.number}-p{n}"
            parent = None if self.rng.random() < 0.25 else self.rng.choice(parents)
            post = Post(marker=marker, parent=parent, double=n % 3 == 2)
            fields = {
                "name": f"Load Tester {self.number} {n}",
                "email": f"{marker}@example.net",
                "website": "",
                "body": body_text(self.rng, marker, links=n % 4 == 0),
                "url": "",
                "parent": "" if parent is None else str(parent),
                "token": form.token,
                "submit": "Post Comment",
            }
            data = urllib.parse.urlencode(fields).encode()
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
            if n % 2 == 0:
                # Like a person typing (not taken for a bot), then sent on the next beat of
                # a clock all clients share, so that approvals of several clients coincide.
                wake = time.monotonic() + THINK_SECONDS
                time.sleep(wake - wake % WAVE_SECONDS + WAVE_SECONDS - time.monotonic())
            with self.tally.lock:
                self.tally.posts.append(post)
            if post.double:
                barrier = threading.Barrier(2)
                twins = [
                    threading.Thread(target=self.send, args=(post, form.action, headers, data, b))
                    for b in (barrier, barrier)
                ]
                for twin in twins:
                    twin.start()
                for twin in twins:
                    twin.join()
            else:
                self.send(post, form.action, headers, data, None)

    def send(self, post, action, headers, data, barrier):
        """Post the form; after a connection error, post the same form again once, as a
        person whose browser showed an error would."""
        if barrier:
            barrier.wait()
        for attempt in range(2):
            answer = self.call("POST", action, headers, data)
            if answer is not None:
                status, location, _ = answer
                match = ACK.search(location) if status in (301, 302, 303) else None
                post.answers.append((status, int(match[1]) if match else None))
                return
            if attempt == 0:
                post.resent = True
                time.sleep(0.5)
        post.answers.append((None, None))


STATE = """
import json, re
from django.conf import settings
from comments.models import Comment, ModerationReason
from papers.models import Paper

held = dict(ModerationReason.objects.filter(verdict="hold").values_list("comment_id", "check_name"))
marker = re.compile(r"\\blt[0-9a-f]{6}-c\\d+-p\\d+\\b")
comments = []
for c in Comment.objects.values("id", "paper_id", "parent_id", "root_id", "depth", "status", "body"):
    found = marker.search(c.pop("body"))
    c["marker"] = found[0] if found else None
    c["held_by"] = held.get(c["id"])
    comments.append(c)
papers = {
    p.pk: [p.comment_count, p.comments.approved().count()] for p in Paper.objects.all()
}
print(json.dumps({"comments": comments, "papers": papers,
                  "max_depth": settings.COLLOQUY_MAX_THREAD_DEPTH}))
"""


def tree_problems(comments, max_depth):
    by_id = {c["id"]: c for c in comments}
    problems = []
    for c in comments:
        parent = by_id.get(c["parent_id"]) if c["parent_id"] else None
        if c["parent_id"] is None:
            if c["root_id"] is not None or c["depth"] != 1:
                problems.append(
                    f"#{c['id']}: top-level with root {c['root_id']}, depth {c['depth']}"
                )
            continue
        if parent is None:
            problems.append(f"#{c['id']}: parent #{c['parent_id']} does not exist")
            continue
        if parent["paper_id"] != c["paper_id"]:
            problems.append(f"#{c['id']}: parent #{parent['id']} is on another paper")
        if c["depth"] != parent["depth"] + 1 or c["depth"] > max_depth:
            problems.append(f"#{c['id']}: depth {c['depth']} under a parent at {parent['depth']}")
        top, seen = parent, set()
        while top["parent_id"] is not None and top["id"] not in seen:
            seen.add(top["id"])
            top = by_id.get(top["parent_id"], top)
        if c["root_id"] != top["id"]:
            problems.append(f"#{c['id']}: root #{c['root_id']}, top-level ancestor #{top['id']}")
    return problems


def check(tally, state, setup, server, killed):
    """[(what, ok, detail)] for one run."""
    stored = {}
    for c in state["comments"]:
        if c["marker"]:
            stored.setdefault(c["marker"], []).append(c)
    mine = {p.marker for p in tally.posts}
    acknowledged = [p for p in tally.posts if p.ids]
    results = []

    wrong = [
        f"{p.marker}: acknowledged {sorted(p.ids)}, stored {[c['id'] for c in stored.get(p.marker, [])]}"
        for p in acknowledged
        if len(p.ids) != 1 or [c["id"] for c in stored.get(p.marker, [])] != sorted(p.ids)
    ]
    results.append(
        ("every acknowledged post stored exactly once, under its acknowledged id", not wrong, wrong)
    )
    twice = [f"{m}: {[c['id'] for c in rows]}" for m, rows in stored.items() if len(rows) > 1]
    results.append(("no post stored twice", not twice, twice))

    doubles = [p for p in tally.posts if p.double]
    split = [  # an answer lost to a killed worker is not held against the site
        f"{p.marker}: answers {p.answers}"
        for p in doubles
        if any(s is not None for s, _ in p.answers)
        and (len(p.ids) != 1 or any(s is not None and i is None for s, i in p.answers))
    ]
    results.append(
        (
            f"double submits ({len(doubles)}): both answers lead to the same comment",
            not split,
            split,
        )
    )
    refused = Counter(
        s for p in tally.posts if not p.double for s, i in p.answers if s and s < 500 and i is None
    )
    results.append(("no single post refused (4xx)", not refused, dict(refused)))
    errors = Counter(f"{m} {s}" for m, _, s in tally.server_errors)
    detail = [f"{n} x {what}" for what, n in errors.items()]
    detail += [f"logged {n} x {line}" for line, n in server.errors().items()]
    results.append(("no 5xx", not tally.server_errors, detail))

    results.append(
        ("every paper page had the comment form", not tally.formless, [f"{tally.formless} pages"])
    )
    problems = tree_problems(state["comments"], state["max_depth"])
    results.append(("tree intact (parent on the paper, root, depth)", not problems, problems))
    misplaced = []
    for p in acknowledged:
        rows = stored.get(p.marker, [])
        if len(rows) != 1:
            continue
        expected = p.parent
        if p.parent is not None and setup["parents"][p.parent][0] >= setup["max_depth"]:
            expected = setup["parents"][p.parent][1]  # at the deepest level: a sibling
        if rows[0]["parent_id"] != expected:
            misplaced.append(f"{p.marker}: asked {p.parent}, stored under {rows[0]['parent_id']}")
    results.append(("replies stored where they were posted", not misplaced, misplaced))

    drift = [
        f"paper {pk}: comment_count {count}, approved {approved}"
        for pk, (count, approved) in state["papers"].items()
        if count != approved
    ]
    results.append(("comment_count equals approved comments", not drift, drift))

    status, _, page = request(server.port, "GET", setup["path"], {"Host": "127.0.0.1"})
    shown = {int(i) for i in re.findall(rb'id="comment-(\d+)"', page)}
    approved = {
        c["id"]
        for c in state["comments"]
        if c["paper_id"] == setup["paper"] and c["status"] == "approved"
    }
    stale = [f"status {status}"] if status != 200 else []
    stale += [f"missing {sorted(approved - shown)[:10]}"] if approved - shown else []
    stale += [f"not approved {sorted(shown - approved)[:10]}"] if shown - approved else []
    results.append(("the (cached) page shows exactly the approved comments", not stale, stale))

    if killed is not None:
        pid, serving, replaced = killed
        results.append(
            (
                f"worker {pid} killed mid-run{' while serving a request' * serving} "
                "and replaced by gunicorn",
                replaced,
                [] if replaced else [f"workers now {server.workers()}"],
            )
        )
    unacknowledged = sorted((mine - {p.marker for p in acknowledged}) & set(stored))
    return results, {
        "stored": sum(len(stored.get(m, [])) for m in mine),
        "duplicates": len(twice),
        "unacknowledged_stored": unacknowledged,
        "statuses": Counter(
            c["status"] + (f" ({c['held_by']})" if c["status"] == "pending" else "")
            for m in mine
            for c in stored.get(m, [])
        ),
    }


def load(kind, env, setup, *, run_name, clients, posts, seconds, kill, workdir):
    """One run against a fresh gunicorn; returns its table row and its checks."""
    tag = f"lt{random.getrandbits(24):06x}"
    redis_flush()
    server = Server(env, Path(workdir) / f"gunicorn-{kind}-{run_name}.log")
    tally = Tally()
    killed = None
    try:
        started = time.monotonic()
        deadline = started + seconds
        threads = [
            Client(
                n,
                port=server.port,
                setup=setup,
                tag=tag,
                posts=posts,
                deadline=deadline,
                tally=tally,
                addresses=ADDRESSES,
            )
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        if kill:
            # Mid-run: once a third of the posts are under way, a worker serving a request.
            while len(tally.posts) < clients * posts // 3 and any(t.is_alive() for t in threads):
                time.sleep(0.05)
            pid, serving = server.kill_worker()
            log(f"{kind} {run_name}: killed worker {pid}{' serving a request' * serving}")
        for thread in threads:
            thread.join(max(0.1, deadline + HTTP_TIMEOUT * 2 - time.monotonic()))
        elapsed = time.monotonic() - started
        if kill:
            killed = (pid, serving, server.wait_for_workers(pid))
        state = shell_json(env, STATE)
        results, counts = check(tally, state, setup, server, killed)
    finally:
        server.stop()
    latencies = sorted(tally.post_latencies) or [0.0]
    resent = sum(1 for p in tally.posts if p.resent)
    resent_ok = sum(1 for p in tally.posts if p.resent and p.ids)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    row = {
        "db": kind,
        "run": run_name,
        "clients": clients,
        "posts attempted": len(tally.posts),
        "acknowledged": sum(1 for p in tally.posts if p.ids),
        "stored": counts["stored"],
        "duplicates": counts["duplicates"],
        "4xx": sum(n for s, n in tally.statuses.items() if 400 <= s < 500),
        "5xx": len(tally.server_errors),
        "connection errors": sum(tally.connection_errors.values()),
        "requests/s": f"{tally.requests / elapsed:.1f}",
        "p50 post ms": f"{statistics.median(latencies) * 1000:.0f}",
        "p95 post ms": f"{p95 * 1000:.0f}",
    }
    note = (
        f"{kind} {run_name}: {len(tally.posts)} of {clients * posts} planned posts in "
        f"{elapsed:.1f} s, {tally.requests} requests; stored as "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts["statuses"].items()))
        + f"; connection errors {dict(tally.connection_errors) or 0}"
        + f"; stored though unacknowledged: {len(counts['unacknowledged_stored'])}"
        + f"; sent again after a connection error: {resent} ({resent_ok} acknowledged)"
    )
    return row, [(f"{kind} {run_name}: {what}", ok, detail) for what, ok, detail in results], note


def database_runs(kind, *, clients, posts, seconds, kill=True, workdir):
    """Both runs (plain, then with a worker killed) on one fresh database."""
    rows, verdicts, notes = [], [], []
    with database(kind, workdir) as url:
        env = site_env(url, f"{kind}-{os.getpid()}")
        log(f"{kind}: migrating and making the paper")
        setup = prepare(env)
        for run_name in ["plain", "worker killed"] if kill else ["plain"]:
            log(f"{kind}: {run_name} run, {clients} clients x {posts} posts")
            row, checks, note = load(
                kind,
                env,
                setup,
                run_name=run_name,
                clients=clients,
                posts=posts,
                seconds=seconds,
                kill=run_name == "worker killed",
                workdir=workdir,
            )
            rows.append(row)
            verdicts += checks
            notes.append(note)
    return rows, verdicts, notes


def table(rows):
    headers = list(rows[0])
    cells = [[str(row[h]) for h in headers] for row in rows]
    widths = [max(len(x) for x in column) for column in zip(headers, *cells, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers), line.format(*("-" * w for w in widths))]
    return "\n".join(out + [line.format(*row).rstrip() for row in cells])


def report(rows, verdicts, notes):
    lines = [table(rows), "", *notes, ""]
    for what, ok, detail in verdicts:
        lines.append(f"{'PASS' if ok else 'FAIL'}: {what}")
        if not ok:
            shown = detail if isinstance(detail, list) else [str(detail)]
            lines += [f"    {x}" for x in shown[:8]]
            if len(shown) > 8:
                lines.append(f"    ... and {len(shown) - 8} more")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 clients x 4 posts")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--clients", type=int, help="concurrent clients (default 12)")
    parser.add_argument("--posts", type=int, help="posts per client (default 12)")
    parser.add_argument("--seconds", type=float, default=120, help="time limit of each run")
    args = parser.parse_args(argv)
    clients = args.clients or (3 if args.quick else 12)
    posts = args.posts or (4 if args.quick else 12)
    if not redis_answers():
        raise SystemExit("Redis is not answering on 127.0.0.1:6379 (the workers share its cache)")
    rows, verdicts, notes = [], [], []
    with tempfile.TemporaryDirectory(prefix="colloquy-loadtest-") as workdir:
        for kind in ["sqlite"] if args.sqlite_only else ["sqlite", "postgres"]:
            r, v, n = database_runs(
                kind, clients=clients, posts=posts, seconds=args.seconds, workdir=workdir
            )
            rows, verdicts, notes = rows + r, verdicts + v, notes + n
    print(f"# Colloquy load test: gunicorn, {WORKERS} workers; {time.strftime('%Y-%m-%d %H:%M')}\n")
    print(report(rows, verdicts, notes))
    return 0 if all(ok for _, ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
