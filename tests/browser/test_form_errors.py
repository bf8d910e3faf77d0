"""A comment form with errors, in a real browser: the answer opens at the form, says what is
wrong, and keeps what was typed (and the comment being replied to).

The form's action ends in "#respond", so the page rendered again with the errors opens
scrolled to the form, not at the top of a long paper. Each test makes its paper and comments
first, runs its browser steps with browser.run (in the Playwright thread, see conftest.py),
then checks the database.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.discussions import fill_guest_form, paged_discussion
from tests.browser.page_scripts import HEADING_JS

pytestmark = pytest.mark.browser

ONE_ERROR_SUMMARY = "Your comment was not posted. Please see the note below."
BAD_EMAIL = "not-an-address"
EMAIL_ERROR = "Enter a valid email address."

# How far down the page is, and how long it is, in viewport heights.
SCROLL_JS = """() => ({
  scrollY: window.scrollY,
  screens: document.documentElement.scrollHeight / window.innerHeight,
})"""


@dataclass(frozen=True)
class Discussion:
    """Plain values (no model instances) that the browser steps may use."""

    paper_id: int
    path: str
    top_ids: tuple
    top_names: tuple


@pytest.fixture
def discussion(live_server, settings):
    """A long paper (four long sections) with three approved top-level comments, two a page."""
    paper, tops = paged_discussion(settings, title="Errors that keep their place", threads=3)
    return Discussion(
        paper_id=paper.pk,
        path=paper.get_absolute_url(),
        top_ids=tuple(top.pk for top in tops),
        top_names=tuple(top.name for top in tops),
    )


def watch_problems(page):
    """Console errors (CSP violations among them) and page errors, as they come."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console error: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def submit(page):
    """Post the form; the status of the page that answers."""
    with page.expect_navigation() as navigation:
        page.locator("#commentform [type=submit]").click()
    return navigation.value.status


def expect_errors_shown_at_the_form(page):
    """The answer opens scrolled down to the form, the summary and the e-mail error on
    screen; how far down the page was scrolled, and how long the page is."""
    summary = page.locator("#respond p.form-error-summary[role=alert]")
    expect(summary).to_have_count(1)
    expect(summary).to_have_text(ONE_ERROR_SUMMARY)
    expect(page.locator("#respond")).to_be_in_viewport()
    expect(summary).to_be_in_viewport()
    email_error = page.locator("#id_email_error")
    expect(email_error).to_be_visible()
    expect(email_error).to_contain_text(EMAIL_ERROR)
    expect(email_error).to_be_in_viewport()
    return page.evaluate(SCROLL_JS)


def test_invalid_email_shows_the_form_with_its_errors_in_view(live_server, browser, discussion):
    body = "A careful objection to the second section, which I would hate to type again."
    post_url = f"{live_server.url}/comments/post/{discussion.paper_id}/#respond"

    def steps(page):
        problems = watch_problems(page)
        page.goto(live_server.url + discussion.path)
        fill_guest_form(page, name="Katherine Johnson", email=BAD_EMAIL, body=body)
        status = submit(page)
        scroll = expect_errors_shown_at_the_form(page)
        expect(page.locator("#commentform textarea[name=body]")).to_have_value(body)
        expect(page.locator("#commentform input[name=email]")).to_have_value(BAD_EMAIL)
        expect(page.locator("#commentform input[name=name]")).to_have_value("Katherine Johnson")
        return status, page.url, scroll, problems

    status, url, scroll, problems = browser.run(steps)

    assert status == 400
    assert url == post_url, "the form's action should end in #respond"
    assert scroll["screens"] > 3, f"the page is too short to tell a scroll from none: {scroll}"
    assert scroll["scrollY"] > 0, "the page with the errors opened at its top, not at the form"
    # Chromium reports the 400 answer to the post itself; nothing else may be reported.
    bad_request = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert [p for p in problems if p != f"console error: {bad_request}"] == []
    assert not Comment.objects.filter(body=body).exists()


@pytest.mark.usefixtures("quick_guest_posting")
def test_invalid_email_in_a_reply_keeps_the_reply_and_its_page(live_server, browser, discussion):
    parent_id, parent_name = discussion.top_ids[2], discussion.top_names[2]
    page_two = f"{live_server.url}{discussion.path}comments-page-2/"
    body = "Replying on the second page of the discussion, with a typo in my address."

    def steps(page):
        problems = watch_problems(page)
        page.goto(page_two)
        page.locator(f"#comment-{parent_id} > article a.comment-reply-link").click()
        assert page.evaluate(HEADING_JS) == f"Leave a Reply to {parent_name}"
        assert page.url == page_two, "the Reply link should move the form, not load a page"
        fill_guest_form(page, name="Katherine Johnson", email=BAD_EMAIL, body=body)
        status = submit(page)

        scroll = expect_errors_shown_at_the_form(page)
        seen = {
            "heading": page.evaluate(HEADING_JS),
            "parent": page.locator("#respond input[name=parent]").input_value(),
            "body": page.locator("#commentform textarea[name=body]").input_value(),
            "cancel_visible": page.locator("#cancel-comment-reply-link").is_visible(),
            "parent_on_page": page.locator(f"li#comment-{parent_id}").count(),
            "first_on_page": page.locator(f"li#comment-{discussion.top_ids[0]}").count(),
            "canonical": page.locator("link[rel=canonical]").get_attribute("href"),
        }

        # Put the address right: the reply goes under the comment it was meant for.
        page.locator("#commentform input[name=email]").fill("katherine@example.net")
        with page.expect_navigation():
            page.locator("#commentform [type=submit]").click()
        return status, scroll, seen, page.url, problems

    status, scroll, seen, final_url, problems = browser.run(steps)

    assert status == 400
    assert scroll["scrollY"] > 0, "the page with the errors opened at its top, not at the form"
    assert seen["heading"] == f"Leave a Reply to {parent_name}"
    assert seen["parent"] == str(parent_id), "the comment being replied to was lost"
    assert seen["body"] == body
    assert seen["cancel_visible"]
    assert seen["parent_on_page"] == 1, "a failed reply should show the page it was on"
    assert seen["first_on_page"] == 0, "a failed reply on page 2 showed page 1"
    assert seen["canonical"].endswith(f"{discussion.path}comments-page-2/"), seen["canonical"]
    bad_request = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert [p for p in problems if p != f"console error: {bad_request}"] == []

    reply = Comment.objects.get(body=body)
    assert reply.parent_id == parent_id
    assert reply.status == Comment.Status.APPROVED
    assert final_url == f"{page_two}#comment-{reply.pk}"
