"""A guest edits their own comment in a real browser: in place with site.js (the edit page's
form put where the comment's text was; Cancel puts the text back), and by the edit page
itself without JavaScript; and deletes one through its page's one button.

The guest posts the comment through the form in the browser, so the browser holds the
signed cookie that the form's POST sets (comments/own.py): that is what lets it edit. The
database is read in the test body, after the browser steps (conftest.py).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from comments.models import Comment, ModerationEvent
from tests.browser.discussions import fill_guest_form
from tests.browser.test_comment_links import Watch
from tests.factories import make_comment, make_paper

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("quick_guest_posting")]

FIRST = "Tide tables in the logbooks agree with the harbour records."
EDITED = "Tide tables in the logbooks agree with the harbour records, to the minute."


@dataclass(frozen=True)
class Discussion:
    """Plain values (no model instances) that the browser steps may use."""

    path: str
    other: int


@pytest.fixture
def discussion(live_server):
    """A paper with someone else's approved comment."""
    paper = make_paper(title="Tides and the written record")
    other = make_comment(paper, name="Marie Tharp", body="The harbour records have gaps.")
    return Discussion(path=paper.get_absolute_url(), other=other.pk)


def post_as_guest(page, url, body):
    """Open the paper, post a guest's comment through its form: the new comment's id."""
    page.goto(url)
    fill_guest_form(page, name="Hedy Lamarr", email="hedy@example.net", body=body)
    with page.expect_navigation():
        page.locator("#commentform [type=submit]").click()
    fragment = urlsplit(page.url).fragment
    assert re.fullmatch(r"comment-\d+", fragment), f"redirected to {page.url}"
    return int(fragment.removeprefix("comment-"))


def own_article(page, comment_id):
    """The comment's own <article> (not its replies')."""
    return page.locator(f"li#comment-{comment_id} > article")


def test_edit_in_place_with_javascript(live_server, browser, discussion):
    def steps(page):
        watch = Watch(page)
        comment_id = post_as_guest(page, live_server.url + discussion.path, FIRST)
        article = own_article(page, comment_id)
        content = article.locator(".comment-content")
        expect(content).to_have_text(FIRST)
        expect(article.locator("span.comment-edited")).to_have_count(0)
        # Someone else's comment offers this browser nothing to change.
        expect(own_article(page, discussion.other).locator("a.comment-edit-link")).to_have_count(0)
        page.evaluate("() => { window.stillThisPage = true; }")
        before = page.url

        article.locator("a.comment-edit-link").click()

        form = article.locator("form#comment-edit-form")
        expect(form).to_be_visible()
        textarea = form.locator("textarea[name=body]")
        expect(textarea).to_be_focused()
        expect(textarea).to_have_value(re.compile(rf"^\s*{re.escape(FIRST)}\s*$"))
        expect(content).to_be_hidden()
        # The Edit and Delete links go while the form is there (asserted after the steps,
        # so that the rest of the edit is tried whatever they do).
        links_hidden = {
            name: article.locator(f"a.comment-{name}-link").is_hidden()
            for name in ("edit", "delete")
        }
        assert page.url == before
        assert page.evaluate("() => window.stillThisPage === true"), "the page was reloaded"

        textarea.fill(EDITED)
        with page.expect_navigation():
            form.get_by_role("button", name="Save").click()

        page.wait_for_load_state("load")
        after = page.url
        article = own_article(page, comment_id)
        expect(article.locator(".comment-content")).to_have_text(EDITED)
        expect(article.locator("span.comment-edited")).to_be_visible()
        expect(article.locator("span.comment-edited")).to_contain_text("edited")
        expect(article.locator("form#comment-edit-form")).to_have_count(0)
        return watch, comment_id, after, links_hidden

    watch, comment_id, after, links_hidden = browser.run(steps)

    assert after == f"{live_server.url}{discussion.path}#comment-{comment_id}"
    comment = Comment.objects.get(pk=comment_id)
    assert (comment.body, comment.status) == (EDITED, Comment.Status.APPROVED)
    assert comment.edited_at is not None
    edits = ModerationEvent.objects.filter(comment=comment, reason__startswith="edited")
    assert list(edits.values_list("text_before", flat=True)) == [FIRST]
    assert watch.problems == []
    assert links_hidden == {"edit": True, "delete": True}, (
        "the Edit and Delete links stay on screen beside the form in their place"
    )


def test_cancel_puts_the_comment_text_back(live_server, browser, discussion):
    def steps(page):
        watch = Watch(page)
        comment_id = post_as_guest(page, live_server.url + discussion.path, FIRST)
        article = own_article(page, comment_id)
        content = article.locator(".comment-content")
        link = article.locator("a.comment-edit-link")
        page.evaluate("() => { window.stillThisPage = true; }")

        link.click()
        form = article.locator("form#comment-edit-form")
        expect(form).to_be_visible()
        form.locator("textarea[name=body]").fill("Second thoughts I will not keep.")
        form.locator(".comment-edit-cancel").click()

        expect(form).to_have_count(0)
        expect(content).to_be_visible()
        expect(content).to_have_text(FIRST)
        expect(link).to_be_visible()
        expect(link).to_be_focused()
        # Edit again: a fresh form with the text as saved, and only one.
        link.click()
        expect(article.locator("form#comment-edit-form")).to_have_count(1)
        expect(article.locator("textarea[name=body]")).to_have_value(
            re.compile(rf"^\s*{re.escape(FIRST)}\s*$")
        )
        article.locator(".comment-edit-cancel").click()
        expect(article.locator("form#comment-edit-form")).to_have_count(0)
        assert page.evaluate("() => window.stillThisPage === true"), "the page was reloaded"
        return watch, comment_id

    watch, comment_id = browser.run(steps)

    comment = Comment.objects.get(pk=comment_id)
    assert (comment.body, comment.edited_at) == (FIRST, None)
    assert watch.problems == []


def test_without_javascript_the_edit_link_opens_the_edit_page(live_server, browser, discussion):
    def steps(page):
        watch = Watch(page)
        comment_id = post_as_guest(page, live_server.url + discussion.path, FIRST)
        article = own_article(page, comment_id)
        with page.expect_navigation():
            article.locator("a.comment-edit-link").click()
        edit_page = page.url
        heading = page.locator("h1").inner_text()
        form = page.locator("form#comment-edit-form")
        textarea = form.locator("textarea[name=body]")
        expect(textarea).to_have_value(re.compile(rf"^\s*{re.escape(FIRST)}\s*$"))
        textarea.fill(EDITED)
        with page.expect_navigation():
            form.get_by_role("button", name="Save").click()
        article = own_article(page, comment_id)
        expect(article.locator(".comment-content")).to_have_text(EDITED)
        expect(article.locator("span.comment-edited")).to_contain_text("edited")
        return watch, comment_id, edit_page, heading, page.url

    watch, comment_id, edit_page, heading, after = browser.run(steps, java_script_enabled=False)

    assert edit_page == f"{live_server.url}/comments/{comment_id}/edit/"
    assert heading == "Edit your comment"
    assert after == f"{live_server.url}{discussion.path}#comment-{comment_id}"
    comment = Comment.objects.get(pk=comment_id)
    assert comment.body == EDITED
    assert comment.edited_at is not None
    assert watch.problems == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_delete_goes_through_its_page_and_one_button(live_server, browser, discussion, javascript):
    def steps(page):
        watch = Watch(page)
        comment_id = post_as_guest(page, live_server.url + discussion.path, FIRST)
        with page.expect_navigation():
            own_article(page, comment_id).locator("a.comment-delete-link").click()
        delete_page = page.url
        expect(page.locator("blockquote.comment-quoted")).to_contain_text(FIRST)
        with page.expect_navigation():
            page.get_by_role("button", name="Delete this comment").click()
        expect(page.locator(f"li#comment-{comment_id}")).to_have_count(0)
        expect(page.get_by_text("Your comment was deleted.")).to_be_visible()
        expect(page.locator(f"li#comment-{discussion.other}")).to_have_count(1)
        return watch, comment_id, delete_page

    watch, comment_id, delete_page = browser.run(steps, java_script_enabled=javascript)

    assert delete_page == f"{live_server.url}/comments/{comment_id}/delete/"
    assert not Comment.objects.filter(pk=comment_id).exists()
    assert watch.problems == []
