"""Links to #comment-<id> in a real browser: site.js finds a comment on another page.

A paper's discussion is paged by top-level thread; a link to `<paper>#comment-<id>` may name
a comment that page does not hold. site.js then goes, once per comment and tab, to the
comment's permalink (from `data-permalink` on `<section id="comments">`), which redirects to
the discussion page holding it, at its anchor.

Each test makes its paper and comments first, runs its browser steps with browser.run (in
the Playwright thread, see conftest.py), then checks what the steps saw.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.discussions import paged_discussion
from tests.factories import make_comment

pytestmark = pytest.mark.browser

# After the last page load, how long to watch for a navigation that should not come.
SETTLE_MS = 1000


@dataclass(frozen=True)
class Discussion:
    """Plain values (no model instances) that the browser steps may use."""

    path: str
    page_three_path: str
    top_ids: tuple
    held_id: int


@pytest.fixture
def discussion(live_server, settings):
    """A long paper, two threads a page, five approved top-level comments (pages 1, 1, 2, 2,
    3) and a held one posted last."""
    paper, tops = paged_discussion(settings, title="Permalinks in paged discussions", threads=5)
    held = make_comment(paper, status=Comment.Status.PENDING, body="Held for moderation.")
    path = paper.get_absolute_url()
    return Discussion(
        path=path,
        page_three_path=f"{path}comments-page-3/",
        top_ids=tuple(top.pk for top in tops),
        held_id=held.pk,
    )


class Watch:
    """What happens on a page: main-frame navigations, console errors and page errors
    (Chromium reports CSP violations as console errors)."""

    def __init__(self, page):
        self.navigations = []
        self.problems = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self._page = page

    def _navigated(self, frame):
        if frame == self._page.main_frame:
            self.navigations.append(frame.url)

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")


def open_and_settle(page, url, final_url):
    """Open url, wait until the tab shows final_url (loaded), then a while longer."""
    # "commit": site.js may leave the page before its load event, interrupting a goto that
    # waits for it.
    page.goto(url, wait_until="commit")
    page.wait_for_url(final_url, wait_until="load")
    page.wait_for_timeout(SETTLE_MS)


def test_link_to_a_comment_on_a_later_page_opens_that_page_at_the_comment(
    live_server, browser, discussion
):
    fifth = discussion.top_ids[4]
    start = f"{live_server.url}{discussion.path}#comment-{fifth}"
    expected = f"{live_server.url}{discussion.page_three_path}#comment-{fifth}"

    def steps(page):
        watch = Watch(page)
        open_and_settle(page, start, expected)
        comment = page.locator(f"li#comment-{fifth}")
        expect(comment).to_have_count(1)
        expect(comment).to_contain_text("Top-level comment number 5.")
        expect(comment).to_be_in_viewport()
        scroll_y = page.evaluate("() => window.scrollY")
        sought = page.evaluate(f"() => sessionStorage.getItem('colloquy-sought-comment-{fifth}')")
        return watch, page.url, scroll_y, sought

    watch, final_url, scroll_y, sought = browser.run(steps)

    assert final_url == expected
    assert watch.navigations == [start, expected], "expected one trip through the permalink"
    assert scroll_y > 0, "the browser did not scroll down to the comment"
    assert sought is None, "the comment was found, so its sessionStorage mark should be gone"
    assert watch.problems == []


def test_link_to_a_comment_on_this_page_stays_put(live_server, browser, discussion):
    second = discussion.top_ids[1]
    start = f"{live_server.url}{discussion.path}#comment-{second}"

    def steps(page):
        watch = Watch(page)
        open_and_settle(page, start, start)
        expect(page.locator(f"li#comment-{second}")).to_be_in_viewport()
        return watch, page.url

    watch, final_url = browser.run(steps)

    assert final_url == start
    assert watch.navigations == [start], "site.js left a page that holds the comment"
    assert watch.problems == []


def test_link_to_a_missing_comment_goes_to_the_permalink_once(live_server, browser, discussion):
    start = f"{live_server.url}{discussion.path}#comment-999999"
    permalink = f"{live_server.url}/comments/999999/"

    def steps(page):
        watch = Watch(page)
        statuses = {}
        page.on(
            "response",
            lambda response: (
                statuses.setdefault(response.url, response.status)
                if response.request.is_navigation_request()
                else None
            ),
        )
        open_and_settle(page, start, permalink)
        heading = page.locator("h1").inner_text()
        first_visit = (list(watch.navigations), page.url, heading)
        # The same link again in this tab: the comment was sought once already, so site.js
        # leaves the paper page alone.
        open_and_settle(page, start, start)
        return watch, first_visit, page.url, statuses

    watch, first_visit, second_url, statuses = browser.run(steps)

    navigations, first_url, heading = first_visit
    assert navigations == [start, permalink], "expected exactly one trip to the permalink"
    assert first_url == permalink
    assert statuses[permalink] == 404
    assert heading == "Page not found"
    assert second_url == start
    assert watch.navigations == [start, permalink, start], "a sought comment was sought again"
    # Chromium logs the 404 of the permalink document itself; nothing else may be reported.
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert [p for p in watch.problems if p != f"console error: {not_found}"] == []


def test_link_to_a_held_comment_ends_on_the_paper_without_looping(live_server, browser, discussion):
    held = discussion.held_id
    start = f"{live_server.url}{discussion.path}#comment-{held}"
    paper = f"{live_server.url}{discussion.path}"

    def steps(page):
        watch = Watch(page)
        open_and_settle(page, start, paper)
        expect(page.locator(f"#comment-{held}")).to_have_count(0)
        expect(page.locator(f"li#comment-{discussion.top_ids[0]}")).to_have_count(1)
        return watch, page.url

    watch, final_url = browser.run(steps)

    assert final_url == paper, "the permalink of a held comment should lead to the bare paper"
    assert watch.navigations == [start, paper], "expected one trip through the permalink"
    assert watch.problems == []
