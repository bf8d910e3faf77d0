"""Search in a real browser: from the home page's search box to a comment result, and on to
that comment in its discussion (on a later page of it), with and without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.discussions import paged_discussion
from tests.browser.test_comment_links import Watch
from tests.factories import make_comment

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


@pytest.fixture
def sought(live_server, settings):
    """A paper whose discussion shows two threads a page, and a comment on its third page
    holding a word nothing else holds: (the comment's id, the discussion page it is on)."""
    paper, _ = paged_discussion(settings, title="Searching long discussions", threads=4)
    comment = make_comment(paper, name="Ottilie Brandt", body="Cormorants dive **deeper**.")
    return comment.pk, f"{paper.get_absolute_url()}comments-page-3/"


def _search_and_open(page, base_url, comment_id, *, javascript):
    watch = Watch(page)
    page.goto(f"{base_url}/")
    page.get_by_role("searchbox", name="Search papers and comments").fill("cormorant")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(f"{base_url}/search/?q=cormorant")
    results = page.locator(".result-list > li")
    expect(results).to_have_count(1)
    expect(results.first.locator("mark")).to_have_text("Cormorants")
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    results.first.get_by_role("link").first.click()
    page.wait_for_url(f"**#comment-{comment_id}")
    comment = page.locator(f"li#comment-{comment_id}")
    expect(comment).to_contain_text("Cormorants dive")
    if javascript:
        expect(comment).to_be_in_viewport()
    return watch, page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_search_from_the_home_page_lands_on_the_comment(live_server, browser, sought, javascript):
    comment_id, discussion_page = sought

    def steps(page):
        return _search_and_open(page, live_server.url, comment_id, javascript=javascript)

    watch, final_url = browser.run(steps, java_script_enabled=javascript)

    assert final_url == f"{live_server.url}{discussion_page}#comment-{comment_id}"
    assert watch.problems == []


def test_the_results_page_has_no_serious_accessibility_violation(live_server, browser, sought):
    def steps(page):
        page.goto(f"{live_server.url}/search/?q=cormorant+dive&kind=comment")
        expect(page.locator(".result-list > li")).to_have_count(1)
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        return [v["id"] for v in results.response["violations"] if v["impact"] in BLOCKING]

    assert browser.run(steps, bypass_csp=True) == []
