"""A poster's own comment, through real HTTP: edit it or delete it within
COLLOQUY_EDIT_WINDOW_MINUTES while nobody has replied (comments/own.py, poster_views.py).

Guests are recognised by the signed cookie the comment form's POST sets, so a guest's
comment here is posted through the form (conftest.py's `post`); a signed-in poster's is
made with the factory and edited through the edit page's own form, CSRF token and all.
Someone else, a forged cookie, a closed window or a reply gets 403, with what they typed
shown to keep. The discussion, the anonymous (cached) page, search and the feed follow.
"""

import datetime
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from comments.models import Comment, ModerationEvent, ModerationWord
from comments.own import OWN_COOKIE, OWN_SALT
from comments.services import comment_remove
from search.models import Entry
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
NOT_YOURS = "Only the person who posted a comment can change it"
TOO_LATE = "A comment can be changed for {} minutes after it is posted."
REPLIED = "Someone has replied to this comment, so it stays as it is."
DUPLICATE = "Duplicate comment detected; it looks as though you've already said that!"
FIRST_TEXT = "Lighthouse logbooks record fog better than any barometer of the period."
EDITED_TEXT = "Lighthouse logbooks record fog, and wind, better than the barometers did."


@pytest.fixture
def paper():
    return make_paper(title="Keepers of the light")


@pytest.fixture
def guest():
    """A guest's browser; it enforces CSRF as a real one does."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def posted(post, paper, guest, open_moderation):
    """A guest's comment, posted through the form from `guest` (approved at once)."""
    response = post(paper, using=guest, body=FIRST_TEXT)
    assert response.status_code == 302, response.status_code
    assert OWN_COOKIE in response.cookies, "the form's POST set no cookie of own comments"
    comment = Comment.objects.get(body=FIRST_TEXT)
    assert comment.status == Status.APPROVED
    return comment


def edit_url(comment):
    return f"/comments/{comment.pk}/edit/"


def delete_url(comment):
    return f"/comments/{comment.pk}/delete/"


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found[1] if found else ""


def open_edit(client, comment):
    """Open the edit page as its poster: the CSRF token of its form."""
    page = client.get(edit_url(comment))
    assert page.status_code == 200, page.status_code
    form = BeautifulSoup(page.content, "html.parser").find("form", id="comment-edit-form")
    assert form is not None, "the edit page has no form#comment-edit-form"
    assert form["action"] == edit_url(comment)
    return csrf_token(page.content.decode())


def save_edit(client, comment, body, token):
    """Press Save on the edit form opened before (open_edit) with this text."""
    return client.post(edit_url(comment), {"body": body, "csrfmiddlewaretoken": token})


def edit(client, comment, body):
    """What its poster does: open the edit page, and save its form with this text."""
    return save_edit(client, comment, body, open_edit(client, comment))


def take_back(client, comment):
    """What its poster does: open the delete page and press its one button."""
    page = client.get(delete_url(comment))
    assert page.status_code == 200, page.status_code
    data = {"csrfmiddlewaretoken": csrf_token(page.content.decode())}
    return client.post(delete_url(comment), data)


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def item(soup, comment):
    """The comment's <li> in a discussion, or None."""
    return soup.find("li", id=f"comment-{comment.pk}")


def own_links(li):
    """The hrefs of a comment's Edit and Delete links (its own article, not its replies')."""
    article = li.find("article")
    return [a["href"] for a in article.select("a.comment-edit-link, a.comment-delete-link")]


def kept_text(response):
    """The typed text a refusal shows to keep."""
    soup = BeautifulSoup(response.content, "html.parser")
    area = soup.find("textarea", id="unsaved-body")
    return area.get_text() if area is not None else None


def back_in_time(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=F("submitted_at") - datetime.timedelta(**delta)
    )
    comment.refresh_from_db()


def search_hits(q):
    """The comment ids the search results page shows, for an anonymous visitor."""
    html = Client().get("/search/", {"q": q}).content.decode()
    return [
        int(pk)
        for pk in re.findall(r'class="result result-comment">.*?/comments/(\d+)/', html, re.S)
    ]


def anonymous_page(paper):
    return read(Client(), paper.get_absolute_url())


def edits_of(comment):
    return list(
        ModerationEvent.objects.filter(
            comment_id=comment.pk, reason__startswith="edited by its poster"
        )
        .order_by("at", "id")
        .values_list("text_before", flat=True)
    )


# A guest edits their own comment


def test_the_discussion_shows_a_guest_edit_and_delete_links_on_their_comment_only(
    paper, posted, guest, post
):
    other = post(
        paper,
        using=Client(),
        name="Someone Else",
        email="else@example.net",
        body="A different view on the barometers entirely.",
    )
    assert other.status_code == 302
    someone_elses = Comment.objects.get(email="else@example.net")
    soup = read(guest, paper.get_absolute_url())
    assert own_links(item(soup, posted)) == [edit_url(posted), delete_url(posted)]
    assert own_links(item(soup, someone_elses)) == []
    for stranger in (Client(), Client(enforce_csrf_checks=True)):
        soup = read(stranger, paper.get_absolute_url())
        assert own_links(item(soup, posted)) == []


def test_guest_edits_within_the_window_and_the_discussion_shows_it_edited(paper, posted, guest):
    before = anonymous_page(paper)  # kept in the page cache
    assert FIRST_TEXT in item(before, posted).get_text()
    response = edit(guest, posted, EDITED_TEXT)
    assert response.status_code == 302
    assert response["Location"] == f"{paper.get_absolute_url()}#comment-{posted.pk}"
    posted.refresh_from_db()
    assert posted.body == EDITED_TEXT
    assert "wind, better" in posted.body_html
    assert posted.status == Status.APPROVED
    assert posted.edited_at is not None
    for soup in (read(guest, paper.get_absolute_url()), anonymous_page(paper)):
        li = item(soup, posted)
        assert EDITED_TEXT in li.find(class_="comment-content").get_text()
        assert FIRST_TEXT not in li.get_text()
        assert li.select_one("span.comment-edited").get_text().startswith("edited ")
    assert search_hits("wind") == [posted.pk]


def test_the_edit_page_shows_the_form_with_the_text_as_it_is(paper, posted, guest):
    response = guest.get(edit_url(posted))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id="comment-edit-form")
    assert form.find("textarea", attrs={"name": "body"}).get_text().strip() == FIRST_TEXT
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_an_edit_that_fails_the_form_keeps_the_text_and_changes_nothing(paper, posted, guest):
    page = guest.get(edit_url(posted)).content.decode()
    response = guest.post(edit_url(posted), {"body": "", "csrfmiddlewaretoken": csrf_token(page)})
    assert response.status_code == 400
    posted.refresh_from_db()
    assert posted.body == FIRST_TEXT
    assert posted.edited_at is None


def test_signed_in_poster_edits_their_comment(paper):
    user = make_user("ines")
    comment = make_comment(paper, user=user, body=FIRST_TEXT)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    soup = read(browser, paper.get_absolute_url())
    assert own_links(item(soup, comment)) == [edit_url(comment), delete_url(comment)]
    response = edit(browser, comment, EDITED_TEXT)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == EDITED_TEXT
    assert comment.edited_at is not None
    event = comment.events.get(reason__startswith="edited by its poster")
    assert (event.actor, event.text_before) == (user, FIRST_TEXT)
    assert (event.from_status, event.to_status) == (Status.APPROVED, Status.APPROVED)


def test_another_user_and_the_signed_out_poster_may_not_edit_a_users_comment(paper):
    user = make_user("ines")
    comment = make_comment(paper, user=user, body=FIRST_TEXT)
    other = Client()
    other.force_login(make_user("mallory"))
    for client in (other, Client()):
        assert NOT_YOURS in client.get(edit_url(comment)).content.decode()
        response = client.post(edit_url(comment), {"body": "Taken over."})
        assert response.status_code == 403
        assert NOT_YOURS in response.content.decode()
        assert kept_text(response) == "Taken over."
        assert client.post(delete_url(comment)).status_code == 403
        soup = read(client, paper.get_absolute_url())
        assert own_links(item(soup, comment)) == []
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == (FIRST_TEXT, None)


# The window


def test_after_the_window_the_edit_is_refused_with_the_reason_and_the_text_kept(
    paper, posted, guest, settings
):
    token = open_edit(guest, posted)  # the form opened in time, saved too late
    back_in_time(posted, minutes=settings.COLLOQUY_EDIT_WINDOW_MINUTES, seconds=5)
    soup = read(guest, paper.get_absolute_url())
    assert own_links(item(soup, posted)) == []
    page = guest.get(edit_url(posted))
    assert page.status_code == 403
    assert TOO_LATE.format(15) in page.content.decode()
    assert kept_text(page) is None
    response = save_edit(guest, posted, "Too late, but mine.", token)
    assert response.status_code == 403
    assert TOO_LATE.format(15) in response.content.decode()
    assert kept_text(response) == "Too late, but mine."
    delete = guest.post(delete_url(posted), {"csrfmiddlewaretoken": token})
    assert delete.status_code == 403
    assert TOO_LATE.format(15) in delete.content.decode()
    posted.refresh_from_db()
    assert posted.body == FIRST_TEXT
    assert Comment.objects.filter(pk=posted.pk).exists()


def test_the_window_follows_its_setting(paper, posted, guest, settings):
    settings.COLLOQUY_EDIT_WINDOW_MINUTES = 60
    back_in_time(posted, minutes=30)
    assert edit(guest, posted, EDITED_TEXT).status_code == 302
    token = open_edit(guest, posted)
    settings.COLLOQUY_EDIT_WINDOW_MINUTES = 1
    back_in_time(posted, minutes=1)  # submitted 31 minutes ago, window 1
    response = save_edit(guest, posted, "Once more.", token)
    assert response.status_code == 403
    assert TOO_LATE.format(1) in response.content.decode()
    assert kept_text(response) == "Once more."


# Replies


def test_after_a_reply_the_edit_and_the_delete_are_refused(paper, posted, guest, post):
    token = open_edit(guest, posted)  # the form opened before the reply came
    answer = post(
        paper,
        using=Client(),
        name="Replier",
        email="replier@example.net",
        body="I disagree about the fog, politely.",
        parent=str(posted.pk),
    )
    assert answer.status_code == 302
    assert posted.replies.get().status == Status.APPROVED
    soup = read(guest, paper.get_absolute_url())
    assert own_links(item(soup, posted)) == []
    response = save_edit(guest, posted, "Changed after the reply.", token)
    assert response.status_code == 403
    assert REPLIED in response.content.decode()
    assert kept_text(response) == "Changed after the reply."
    delete = guest.post(delete_url(posted), {"csrfmiddlewaretoken": token})
    assert delete.status_code == 403
    assert REPLIED in delete.content.decode()
    posted.refresh_from_db()
    assert posted.body == FIRST_TEXT


def test_a_reply_waiting_for_moderation_also_blocks_the_edit(paper, posted, guest):
    token = open_edit(guest, posted)
    make_comment(paper, parent=posted, status=Status.PENDING, body="Held reply text here.")
    # The discussion shows no reply under it, so it still offers Edit; the edit page says why not.
    soup = read(guest, paper.get_absolute_url())
    assert own_links(item(soup, posted)) == [edit_url(posted), delete_url(posted)]
    response = save_edit(guest, posted, "Changed after the reply.", token)
    assert response.status_code == 403
    assert REPLIED in response.content.decode()


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_a_reply_in_spam_or_trash_does_not_block(paper, posted, guest, status):
    reply = make_comment(paper, parent=posted, status=status, body="Cheap watches for sale.")
    soup = read(guest, paper.get_absolute_url())
    assert own_links(item(soup, posted)) == [edit_url(posted), delete_url(posted)]
    assert edit(guest, posted, EDITED_TEXT).status_code == 302
    posted.refresh_from_db()
    assert posted.body == EDITED_TEXT
    assert take_back(guest, posted).status_code == 302
    assert not Comment.objects.filter(pk=posted.pk).exists()
    reply.refresh_from_db()
    assert reply.status == status


# Someone else, and forged cookies


def test_another_guest_may_not_edit_or_delete(paper, posted, post):
    stranger = Client()
    assert (
        post(
            paper,
            using=stranger,
            name="Other Guest",
            email="other@example.net",
            body="My own comment, from my own browser.",
        ).status_code
        == 302
    )
    assert OWN_COOKIE in stranger.cookies
    get = stranger.get(edit_url(posted))
    assert get.status_code == 403
    assert get.context["reason"].startswith(NOT_YOURS)
    response = stranger.post(edit_url(posted), {"body": "Hijacked words."})
    assert response.status_code == 403
    assert kept_text(response) == "Hijacked words."
    assert stranger.get(delete_url(posted)).status_code == 403
    assert stranger.post(delete_url(posted)).status_code == 403
    posted.refresh_from_db()
    assert posted.body == FIRST_TEXT


def forged_cookies(comment, real_value):
    """Cookie values naming the comment that its poster's browser did not get."""
    value, _, rest = real_value.partition(":")
    other_salt = signing.get_cookie_signer(salt="something else").sign(str(comment.pk))
    other_key = signing.get_cookie_signer(salt=OWN_COOKIE + OWN_SALT)
    other_key.key = "not the site's secret key"
    return {
        "unsigned": str(comment.pk),
        "tampered id": f"{comment.pk}:{rest}",
        "appended id": f"{value},{comment.pk}:{rest}",
        "other salt": other_salt,
        "other key": other_key.sign(str(comment.pk)),
        "no signature": f"{comment.pk}:",
    }


def test_forged_or_tampered_cookies_name_no_comment(paper, posted, guest, post):
    # A second guest's own real cookie, for a comment of theirs, to tamper with.
    mallory = Client()
    assert (
        post(
            paper,
            using=mallory,
            name="Mallory",
            email="mallory@example.net",
            body="Mallory's own comment on the paper.",
        ).status_code
        == 302
    )
    real = mallory.cookies[OWN_COOKIE].value
    for name, value in forged_cookies(posted, real).items():
        forger = Client()
        forger.cookies[OWN_COOKIE] = value
        soup = read(forger, paper.get_absolute_url())
        assert own_links(item(soup, posted)) == [], name
        assert forger.get(edit_url(posted)).status_code == 403, name
        response = forger.post(edit_url(posted), {"body": "Forged words."})
        assert response.status_code == 403, name
        assert kept_text(response) == "Forged words.", name
        assert forger.post(delete_url(posted)).status_code == 403, name
    posted.refresh_from_db()
    assert posted.body == FIRST_TEXT
    assert Comment.objects.filter(pk=posted.pk).exists()


def test_a_guest_cookie_does_not_reach_a_signed_in_users_comment(paper, post):
    user = make_user("ines")
    comment = make_comment(paper, user=user, body=FIRST_TEXT)
    guest = Client()
    guest.cookies[OWN_COOKIE] = signing.get_cookie_signer(salt=OWN_COOKIE + OWN_SALT).sign(
        str(comment.pk)
    )  # even a validly signed one (as if the id had been a guest's)
    assert guest.post(edit_url(comment), {"body": "Guest words."}).status_code == 403


# Moderation again


def test_an_edit_with_a_moderation_word_goes_back_to_pending_with_its_reason(paper, posted, guest):
    ModerationWord.objects.create(phrase="casino", action=ModerationWord.Action.HOLD)
    anonymous_page(paper)
    paper.refresh_from_db()
    assert paper.comment_count == 1
    assert search_hits("lighthouse") == [posted.pk]
    response = edit(guest, posted, "Lighthouse keepers ran a casino on the rocks.")
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.status == Status.PENDING
    assert [(r.check_name, r.verdict, r.message) for r in posted.reasons.all()] == [
        ("moderation_words", "hold", "contains the moderation word “casino”")
    ]
    event = posted.events.get(reason__startswith="edited by its poster")
    assert (event.from_status, event.to_status) == (Status.APPROVED, Status.PENDING)
    assert "casino" in event.reason
    assert event.text_before == FIRST_TEXT
    paper.refresh_from_db()
    assert paper.comment_count == 0
    assert item(anonymous_page(paper), posted) is None
    own = item(read(guest, paper.get_absolute_url()), posted)
    assert "Your comment is awaiting moderation." in own.get_text()
    assert search_hits("lighthouse") == []


def test_an_edit_with_too_many_links_is_held(paper, posted, guest, moderation):
    moderation["max_links"] = 2
    body = "See <https://a.example>, <https://b.example> and <https://c.example>."
    assert edit(guest, posted, body).status_code == 302
    posted.refresh_from_db()
    assert posted.status == Status.PENDING
    assert [(r.check_name, r.message) for r in posted.reasons.all()] == [
        ("links", "contains 3 links")
    ]


def test_an_edit_repeating_another_comment_of_theirs_is_refused_with_the_text_kept(
    paper, posted, guest, post
):
    second = "A second thought, on keepers' wages and their families."
    assert post(paper, using=guest, body=second).status_code == 302
    later = Comment.objects.get(body=second)
    page = guest.get(edit_url(later)).content.decode()
    response = guest.post(
        edit_url(later), {"body": FIRST_TEXT, "csrfmiddlewaretoken": csrf_token(page)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id="comment-edit-form")
    assert DUPLICATE in form.get_text(), "the refusal is not next to the field"
    assert form.find("textarea", attrs={"name": "body"}).get_text().strip() == FIRST_TEXT
    later.refresh_from_db()
    assert (later.body, later.edited_at, later.status) == (second, None, Status.APPROVED)
    assert not ModerationEvent.objects.filter(reason__startswith="edited by its poster").exists()


def test_an_edit_leaving_the_text_as_it_was_is_not_its_own_duplicate(paper, posted, guest):
    assert edit(guest, posted, FIRST_TEXT).status_code == 302
    posted.refresh_from_db()
    assert posted.status == Status.APPROVED
    assert not posted.reasons.exists()


HOSTILE = (
    "Fine paper.\n\n<script>alert('edit')</script>\n\n"
    '<img src=x onerror="alert(1)">\n\n[click](javascript:alert(2))\n\n'
    '<a href="#" onclick="alert(3)">here</a> <iframe src="https://evil.example"></iframe>'
)


def assert_harmless(html):
    """No element that runs script: no <script>, <iframe>, on* attribute or javascript: link
    (what was typed may still show as text, escaped)."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(["script", "iframe", "object", "embed", "style"]) is None, html
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (tag, html)
            values = value if isinstance(value, list) else [value]
            assert not any("javascript:" in v.lower().replace(" ", "") for v in values), tag


def test_hostile_text_in_an_edit_is_sanitised_where_it_is_shown(paper, posted, guest):
    assert edit(guest, posted, HOSTILE).status_code == 302
    posted.refresh_from_db()
    assert posted.body == HOSTILE  # the source is kept as typed, and shown only escaped
    assert posted.status == Status.APPROVED
    shown = item(anonymous_page(paper), posted)
    assert shown is not None
    for html in (posted.body_html, str(shown)):
        assert_harmless(html)
        assert "Fine paper." in html
    # The edit page shows it again in a textarea, escaped (the </textarea> trick included).
    trick = "</textarea><script>alert('out')</script>"
    page = guest.get(edit_url(posted)).content.decode()
    assert "<script>alert(" not in page
    assert escape("<script>alert('edit')</script>") in page
    refused = Client().post(edit_url(posted), {"body": trick})
    assert refused.status_code == 403
    assert "<script>alert('out')" not in refused.content.decode()
    assert kept_text(refused) == trick


def test_each_edit_keeps_the_text_it_replaced_for_moderators(paper, posted, guest):
    assert edit(guest, posted, EDITED_TEXT).status_code == 302
    third = "Lighthouse logbooks, read together, are a weather archive."
    assert edit(guest, posted, third).status_code == 302
    posted.refresh_from_db()
    assert posted.body == third
    assert edits_of(posted) == [FIRST_TEXT, EDITED_TEXT]
    # The original post's own event keeps no text; only edits do.
    assert (
        posted.events.exclude(reason__startswith="edited by its poster")
        .filter(text_before__gt="")
        .count()
        == 0
    )


# Deleting one's own comment


def test_get_on_the_delete_page_changes_nothing(paper, posted, guest):
    entries = Entry.objects.count()
    response = guest.get(delete_url(posted))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", action=delete_url(posted))
    assert form["method"] == "post"
    assert [b.get_text() for b in form.find_all("button")] == ["Delete this comment"]
    assert FIRST_TEXT in soup.find("blockquote").get_text()
    guest.head(delete_url(posted))
    assert Comment.objects.filter(pk=posted.pk, status=Status.APPROVED).exists()
    assert Entry.objects.count() == entries
    paper.refresh_from_db()
    assert paper.comment_count == 1


def test_deleting_removes_it_from_the_page_the_count_and_search_at_once(paper, posted, guest):
    keep = make_comment(paper, body="Another reader's comment on the lighthouse keepers.")
    anonymous_page(paper)
    with CaptureQueriesContext(connection) as queries:
        cached = anonymous_page(paper)
    assert len(queries) == 0, "the anonymous page was not served from the page cache"
    assert item(cached, posted) is not None
    assert "2 thoughts on" in cached.find(id="comments-title").get_text()
    assert sorted(search_hits("lighthouse")) == sorted([posted.pk, keep.pk])

    response = take_back(guest, posted)
    assert response.status_code == 302
    assert response["Location"] == f"{paper.get_absolute_url()}#comments"

    assert not Comment.objects.filter(pk=posted.pk).exists()
    paper.refresh_from_db()
    assert paper.comment_count == 1
    after = anonymous_page(paper)
    assert item(after, posted) is None
    assert FIRST_TEXT not in str(after)
    assert "One thought on" in after.find(id="comments-title").get_text()
    assert search_hits("lighthouse") == [keep.pk]
    assert search_hits("barometer") == []
    assert not Entry.objects.filter(comment_id=posted.pk).exists()
    own = read(guest, paper.get_absolute_url())
    assert "Your comment was deleted." in own.get_text()
    assert guest.get(edit_url(posted)).status_code == 404


def test_a_signed_in_poster_deletes_their_comment(paper):
    user = make_user("ines")
    comment = make_comment(paper, user=user, body=FIRST_TEXT)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert take_back(browser, comment).status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


# A comment with replies removed: a placeholder


def test_removing_a_comment_with_replies_leaves_a_placeholder(paper, posted, guest):
    assert edit(guest, posted, EDITED_TEXT).status_code == 302
    token = open_edit(guest, posted)  # a form its poster opened again before the reply
    reply = make_comment(
        paper, parent=posted, name="Replier Person", body="Seabirds also appear in the logbooks."
    )
    anonymous_page(paper)  # cached before the removal
    assert search_hits("lighthouse") == [posted.pk]

    comment_remove(posted, actor=None, reason="removed at its poster's request")

    posted.refresh_from_db()
    assert posted.status == Status.DELETED
    assert (posted.body, posted.body_html, posted.name, posted.email, posted.website) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert posted.user_id is None
    assert not ModerationEvent.objects.filter(comment_id=posted.pk, text_before__gt="").exists()
    paper.refresh_from_db()
    assert paper.comment_count == 1

    soup = anonymous_page(paper)
    li = item(soup, posted)
    assert li is not None and "deleted" in li["class"]
    assert li.find("article").get_text(" ", strip=True) == "This comment was deleted."
    assert "Rosa Quintero" not in str(soup)
    assert EDITED_TEXT not in str(soup)
    child = li.find("ol", class_="children").find("li", id=f"comment-{reply.pk}")
    assert child is not None, "the reply is not under the placeholder"
    assert "Seabirds also appear" in child.get_text()
    assert "One thought on" in soup.find(id="comments-title").get_text()
    assert li.find("article").find("a") is None

    assert search_hits("lighthouse") == []
    assert search_hits("seabirds") == [reply.pk]

    feed = feedparser.parse(Client().get("/feeds/comments/atom/").content)
    links = [entry.link for entry in feed.entries]
    assert any(link.endswith(f"/comments/{reply.pk}/") for link in links)
    assert not any(link.endswith(f"/comments/{posted.pk}/") for link in links)
    assert "Lighthouse logbooks" not in str(feed)

    # Nobody edits or deletes a placeholder, not even the browser that posted it.
    assert guest.get(edit_url(posted)).status_code == 404
    assert save_edit(guest, posted, "Back again.", token).status_code == 404
    assert guest.post(delete_url(posted), {"csrfmiddlewaretoken": token}).status_code == 404


def test_removing_a_comment_whose_only_reply_is_spam_deletes_it(paper, posted):
    spam = make_comment(paper, parent=posted, status=Status.SPAM, body="Buy followers now.")
    comment_remove(posted, actor=None, reason="removed")
    assert not Comment.objects.filter(pk=posted.pk).exists()
    spam.refresh_from_db()
    assert (spam.parent_id, spam.depth) == (None, 1)
    assert item(anonymous_page(paper), spam) is None


def test_moderators_see_each_earlier_text_on_the_comments_admin_page(paper, posted, guest):
    edit(guest, posted, "The second text, after an edit.")
    edit(guest, posted, "The third text, after another.")
    moderator = Client()
    moderator.force_login(make_user(staff=True, superuser=True))
    page = moderator.get(f"/admin/comments/comment/{posted.pk}/change/").content.decode()
    assert escape(FIRST_TEXT) in page
    assert "The second text, after an edit." in page


def test_an_edit_never_brings_a_comment_out_of_spam(post, paper, moderation):
    """A bot caught by the honeypot edits its comment: it stays in spam, the reason with it."""
    bot = Client()
    response = post(paper, using=bot, body="Buy cheap lighthouses.", url="https://x.example/")
    assert response.status_code == 302
    spam = Comment.objects.get()
    assert spam.status == Status.SPAM
    token = open_edit(bot, spam)
    assert save_edit(bot, spam, "A perfectly ordinary remark now.", token).status_code == 302
    spam.refresh_from_db()
    assert spam.status == Status.SPAM
    assert spam.body == "A perfectly ordinary remark now."
    assert "honeypot" in spam.reasons.values_list("check_name", flat=True)
