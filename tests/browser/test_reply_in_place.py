"""Replying to a comment in a real browser: in place with site.js, by page load without it.

Each test makes its paper and comments first, runs its browser steps with browser.run (in
the Playwright thread, see conftest.py), then checks the database.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.discussions import fill_guest_form
from tests.browser.page_scripts import HEADING_JS
from tests.factories import make_comment, make_paper

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/colloquy-reply.png"

# Where the reply form is: the id of the comment <li> holding it, and whether it sits right
# after that comment's own <article> (before the replies).
RESPOND_PLACE_JS = """() => {
  const respond = document.getElementById("respond");
  const li = respond.closest("li.comment");
  const previous = respond.previousElementSibling;
  return {
    li: li ? li.id : null,
    afterOwnArticle: Boolean(li && previous && previous.matches("article")
                             && previous.parentElement === li),
  };
}"""

# The reply form back where the page put it: in the discussion, after the comment list,
# outside every comment. Hidden helper elements next to it do not count.
RESPOND_AT_HOME_JS = """() => {
  const respond = document.getElementById("respond");
  const list = document.querySelector("#comments > ol.comment-list");
  let previous = respond.previousElementSibling;
  while (previous && previous.hidden) { previous = previous.previousElementSibling; }
  return {
    parent: respond.parentElement.id,
    insideComment: respond.closest("li.comment") !== null,
    afterList: Boolean(list.compareDocumentPosition(respond) & Node.DOCUMENT_POSITION_FOLLOWING),
    previous: previous ? previous.className : null,
  };
}"""


@dataclass(frozen=True)
class Discussion:
    """Plain values (no model instances) that the browser steps may use."""

    paper_id: int
    path: str
    first: int
    first_name: str
    second: int
    second_name: str
    reply: int


@pytest.fixture
def discussion(live_server):
    """A paper with two approved top-level comments; the first has an approved reply."""
    paper = make_paper(title="Conversations as peer review")
    first = make_comment(
        paper, name="Ada O'Neill", body="Does the method hold for longer threads, too?"
    )
    second = make_comment(
        paper, name="Grace Hopper", body="A clear argument, and a useful bibliography."
    )
    reply = make_comment(
        paper, parent=first, name="Alan Turing", body="It does up to depth five, I believe."
    )
    return Discussion(
        paper_id=paper.pk,
        path=paper.get_absolute_url(),
        first=first.pk,
        first_name=first.name,
        second=second.pk,
        second_name=second.name,
        reply=reply.pk,
    )


def reply_link(page, comment_id):
    """The comment's own Reply link (not those of its replies)."""
    return page.locator(f"#comment-{comment_id} > article a.comment-reply-link")


def submit_and_follow(page):
    """Post the form; the id of the comment the redirect points at (#comment-N)."""
    with page.expect_navigation():
        page.locator("#commentform [type=submit]").click()
    fragment = urlsplit(page.url).fragment
    assert re.fullmatch(r"comment-\d+", fragment), f"redirected to {page.url}"
    return int(fragment.removeprefix("comment-"))


def expect_nested_reply(page, *, parent_id, new_id, body):
    """The new comment is shown, on screen, inside its parent's replies and indented."""
    parent = page.locator(f"#comment-{parent_id}")
    new = parent.locator(f"ol.children li#comment-{new_id}")
    expect(new).to_be_visible()
    expect(new).to_be_in_viewport()
    expect(new.locator("> article .comment-content")).to_contain_text(body)
    parent_box, new_box = parent.bounding_box(), new.bounding_box()
    assert new_box["x"] > parent_box["x"], (parent_box, new_box)


@pytest.mark.usefixtures("quick_guest_posting")
def test_reply_moves_the_form_under_the_comment_and_posts_a_nested_reply(
    live_server, browser, discussion
):
    body = "Yes: the second section shows it with a thread of forty comments."

    def steps(page):
        page.goto(live_server.url + discussion.path)
        url_before = page.url
        page.evaluate("() => { window.stillThisPage = true; }")

        reply_link(page, discussion.first).click()

        place = page.evaluate(RESPOND_PLACE_JS)
        assert place == {"li": f"comment-{discussion.first}", "afterOwnArticle": True}
        assert page.evaluate(HEADING_JS) == f"Leave a Reply to {discussion.first_name}"
        expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
        expect(page.locator("#respond input[name=parent]")).to_have_value(str(discussion.first))
        assert page.url == url_before
        assert page.evaluate("() => window.stillThisPage === true"), "the page was reloaded"

        fill_guest_form(page, name="Barbara Liskov", email="barbara@example.net", body=body)
        new_id = submit_and_follow(page)

        expect_nested_reply(page, parent_id=discussion.first, new_id=new_id, body=body)
        page.screenshot(path=SCREENSHOT, full_page=True)
        return new_id

    new_id = browser.run(steps)

    reply = Comment.objects.get(pk=new_id)
    assert reply.parent_id == discussion.first
    assert reply.status == Comment.Status.APPROVED
    assert reply.name == "Barbara Liskov"
    assert reply.body == body


def test_cancel_reply_puts_the_form_back(live_server, browser, discussion):
    def steps(page):
        page.goto(live_server.url + discussion.path)
        page.evaluate("() => { window.stillThisPage = true; }")
        at_home = page.evaluate(RESPOND_AT_HOME_JS)
        assert at_home == {
            "parent": "comments",
            "insideComment": False,
            "afterList": True,
            "previous": "comment-list",
        }
        parent_input = page.locator("#respond input[name=parent]")
        cancel = page.locator("#cancel-comment-reply-link")

        reply_link(page, discussion.first).click()
        assert page.evaluate(RESPOND_PLACE_JS)["li"] == f"comment-{discussion.first}"
        # A second Reply link takes the form on to that comment.
        reply_link(page, discussion.second).click()
        assert page.evaluate(RESPOND_PLACE_JS) == {
            "li": f"comment-{discussion.second}",
            "afterOwnArticle": True,
        }
        assert page.evaluate(HEADING_JS) == f"Leave a Reply to {discussion.second_name}"
        expect(parent_input).to_have_value(str(discussion.second))

        cancel.click()

        assert page.evaluate(RESPOND_AT_HOME_JS) == at_home
        expect(parent_input).to_have_value("")
        assert page.evaluate(HEADING_JS) == "Leave a Reply"
        expect(page.locator("#reply-title .reply-name")).to_have_count(0)
        expect(cancel).to_be_hidden()
        assert page.evaluate("() => window.stillThisPage === true"), "the page was reloaded"

    browser.run(steps)


@pytest.mark.usefixtures("quick_guest_posting")
def test_without_javascript_reply_loads_the_form_for_that_comment(live_server, browser, discussion):
    body = "Without scripts the reply still lands in the right thread."

    def steps(page):
        page.goto(live_server.url + discussion.path)
        expect(page.locator("#respond-home")).to_have_count(0)  # site.js did not run
        with page.expect_navigation():
            reply_link(page, discussion.first).click()

        expected = f"{live_server.url}{discussion.path}?replyto={discussion.first}#respond"
        assert page.url == expected
        assert page.evaluate(HEADING_JS) == f"Leave a Reply to {discussion.first_name}"
        expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
        expect(page.locator("#respond input[name=parent]")).to_have_value(str(discussion.first))

        fill_guest_form(page, name="Edsger Dijkstra", email="edsger@example.net", body=body)
        new_id = submit_and_follow(page)

        expect_nested_reply(page, parent_id=discussion.first, new_id=new_id, body=body)
        return new_id

    new_id = browser.run(steps, java_script_enabled=False)

    reply = Comment.objects.get(pk=new_id)
    assert reply.parent_id == discussion.first
    assert reply.status == Comment.Status.APPROVED


def test_paper_page_has_no_csp_violations_or_console_errors(live_server, browser, discussion):
    def steps(page):
        problems = []

        def on_console(message):
            if message.type == "error":  # CSP violations are reported as console errors
                problems.append(f"console error: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

        response = page.goto(live_server.url + discussion.path)
        csp = response.headers.get("content-security-policy", "")
        # site.js ran: it marks the reply form's home place when it starts.
        script_ran = page.locator("#respond-home").count() == 1
        reply_link(page, discussion.first).click()
        page.locator("#cancel-comment-reply-link").click()
        reply_link(page, discussion.reply).click()
        form_under = page.evaluate(RESPOND_PLACE_JS)["li"]
        page.reload()
        return problems, csp, script_ran, form_under

    problems, csp, script_ran, form_under = browser.run(steps)

    assert problems == []
    assert "script-src 'self'" in csp, f"no strict Content-Security-Policy: {csp!r}"
    assert script_ran, "static/js/site.js did not run"
    assert form_under == f"comment-{discussion.reply}"
