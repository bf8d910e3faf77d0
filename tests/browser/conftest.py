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
import os
import queue
import threading
from concurrent.futures import Future

import pytest
from playwright.sync_api import sync_playwright

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
