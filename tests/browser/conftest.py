"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against `live_server`.

Playwright's sync API keeps an asyncio loop marked as running in the thread that started it,
for as long as Playwright runs. Django refuses database work in such a thread
(SynchronousOnlyOperation), and pytest-django does database work in the main thread around
every test (creating the test database, flushing it after each transactional test). So
Playwright cannot be kept running in the main thread for a session.

It runs in a thread of its own instead: the `browser` fixture starts Chromium there once per
session, and `browser.run(steps)` runs a test's browser steps there, in a fresh context, and
hands back their result or raises their failure. A test does its database work (factories
before, assertions after) in its own body, in the main thread, where no loop is running; the
steps touch only the browser and plain values, never the ORM.
"""

import copy
import importlib
import os
import queue
import threading
from concurrent.futures import Future

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from playwright.sync_api import sync_playwright

from comments.models import PendingComment
from comments.selectors import comments_awaiting_reply
from demo.generator import generate
from demo.loader import load_demo
from papers.models import Paper
from tests.browser.site_tour import Tour, TourStop
from tests.factories import make_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LAUNCH_TIMEOUT = 60  # seconds for Playwright's driver and Chromium to start
STEPS_TIMEOUT = 60  # seconds one test's browser steps may take in all
ACTION_TIMEOUT_MS = 5000  # each Playwright action and expect() in the steps


class BrowserThread:
    """A Chromium browser that lives in its own thread, with Playwright's sync API."""

    def __init__(self):
        self._jobs = queue.SimpleQueue()
        self._started = Future()
        self._thread = threading.Thread(target=self._main, name="playwright", daemon=True)
        self._thread.start()
        self.version = self._started.result(timeout=LAUNCH_TIMEOUT)

    def _main(self):
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                self._started.set_result(browser.version)
                while (job := self._jobs.get()) is not None:
                    steps, future = job
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        future.set_result(steps(browser))
                    except BaseException as exc:
                        future.set_exception(exc)
                browser.close()
        except BaseException as exc:
            if not self._started.done():
                self._started.set_exception(exc)
            raise

    def run(self, steps, **context_options):
        """steps(page) in a new browser context (options as for Browser.new_context)."""

        def job(browser):
            context = browser.new_context(**context_options)
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            try:
                return steps(context.new_page())
            finally:
                context.close()

        future = Future()
        self._jobs.put((job, future))
        return future.result(timeout=STEPS_TIMEOUT)

    def close(self):
        self._jobs.put(None)
        self._thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser():
    """Chromium for the session. Never skips: without Chromium every browser test fails."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with `make browser-deps` (apt-get install chromium); "
            "`make test` does this.",
            pytrace=False,
        )
    runner = BrowserThread()
    yield runner
    runner.close()


@pytest.fixture
def quick_guest_posting(settings):
    """A guest's comment is published at once, however soon after the page it is posted."""
    moderation = copy.deepcopy(settings.COLLOQUY_MODERATION)
    moderation["checks"]["first_comment"] = False
    moderation["min_seconds_to_post"] = 0
    settings.COLLOQUY_MODERATION = moderation


def _moderators_group():
    """The Moderators group, as its migration makes it (a transactional test's flush before
    this one may have emptied the table)."""
    migration = importlib.import_module("comments.migrations.0002_moderators_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP)
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="comments", codename__in=migration.PERMISSIONS
            )
        )
    return group


@pytest.fixture
def moderator(transactional_db):
    """A staff user in the Moderators group: what working the moderation queue needs."""
    user = make_user("moderator-on-duty", staff=True)
    user.groups.add(_moderators_group())
    return user


@pytest.fixture
def signed_in(live_server):
    """signed_in(user): a Playwright storage_state holding a session of that user's, for
    browser.run(steps, storage_state=...). The session is made here, in the main thread."""

    def storage_state(user):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        cookie = {"name": session.key, "value": session.value, "url": live_server.url}
        return {"cookies": [cookie], "origins": []}

    return storage_state


@pytest.fixture
def site_tour(live_server, moderator, signed_in):
    """The demo conference (load_demo) plus a generated paper with 40 threaded comments, and
    the pages to visit: home, edition, stream, a demo paper, the long discussion (as it is,
    and with the comment form's errors), an author's page, /me/ for the long discussion's
    author, the sign-in page, and the moderation queue with a held near-duplicate."""
    load_demo()
    demo_paper = Paper.objects.order_by("published_on", "slug").first()
    (long_paper,) = generate(comments=40, seed=11)
    author = long_paper.author_list[0]
    near_duplicate = PendingComment.objects.filter(reasons__check_name="near_duplicate").first()
    assert near_duplicate, "the demo's moderation queue no longer holds a near-duplicate"
    assert comments_awaiting_reply(author.user).exists(), "/me/ would be empty"
    queue = reverse("admin:comments_pendingcomment_changelist")
    stops = [
        TourStop("home", "guest", reverse("papers:home")),
        TourStop("edition", "guest", long_paper.edition.get_absolute_url()),
        TourStop("stream", "guest", long_paper.stream.get_absolute_url()),
        TourStop("demo paper", "guest", demo_paper.get_absolute_url()),
        TourStop("long discussion", "guest", long_paper.get_absolute_url()),
        TourStop(
            "long discussion, form with errors",
            "guest",
            long_paper.get_absolute_url(),
            post_invalid_comment=True,
            post_path=reverse("comments:post", args=[long_paper.pk]),
        ),
        TourStop("author page", "guest", demo_paper.author_list[0].get_absolute_url()),
        TourStop("sign-in page", "guest", reverse("login")),
        TourStop("/me/ of the long discussion's author", "author", reverse("comments:me")),
        TourStop(
            "long discussion, signed in as its author (the form)",
            "author",
            long_paper.get_absolute_url(),
            axe_scope="#respond",
        ),
        TourStop("moderation queue", "moderator", queue),
        TourStop(
            "held near-duplicate in the queue",
            "moderator",
            reverse("admin:comments_pendingcomment_change", args=[near_duplicate.pk]),
        ),
    ]
    return Tour(
        stops=tuple(stops),
        storage_states={
            "guest": None,
            "author": signed_in(author.user),
            "moderator": signed_in(moderator),
        },
    )
