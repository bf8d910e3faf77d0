"""Moderation as a poster meets it: real POSTs to the comment form, real pages read back.

The form is posted with conftest.py's `post`, here as the seed-shaped author of
test_fingerprints.py posting REPLY unless a test says otherwise.
"""

import datetime
import functools
import re
import secrets
import time

import pytest
from django.core import signing
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from comments import tokens
from comments.models import Comment, ModerationEvent, ModerationReason
from tests.comments.test_fingerprints import AUTHOR, AUTHOR_EMAIL, OTHER_REPLIES, REPLY, REPOSTED
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!"
FLOOD_MESSAGE = "You are posting comments too quickly. Slow down."
HELD_NOTE = "Your comment is awaiting moderation."


@pytest.fixture
def paper():
    return make_paper(title="Volunteers who stay")


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def post(post):
    """The shared form poster (conftest.py), as the seed-shaped author posting REPLY unless told."""
    return functools.partial(post, name=AUTHOR, email=AUTHOR_EMAIL, body=REPLY)


def another_guest(post, paper, **request):
    """A second guest, in a browser of their own, posting other words to the same paper."""
    return post(
        paper,
        using=Client(),
        name="Another Name",
        email="another@example.net",
        body=OTHER_REPLIES[1],
        **request,
    )


def let_time_pass(minutes=1):
    """Move every comment back in time, out of the flood window."""
    Comment.objects.update(submitted_at=F("submitted_at") - datetime.timedelta(minutes=minutes))


def newest_comment():
    return Comment.objects.order_by("-id").first()


def comment_item(html, comment):
    """The <li> of one comment on the page, up to its article's end."""
    found = re.search(rf'<li id="comment-{comment.pk}" [^>]*>.*?</article>', html, re.S)
    return found[0] if found else None


def original_reply(paper):
    """The author's first reply, approved an hour ago."""
    return make_comment(
        paper, body=REPLY, name=AUTHOR, email=AUTHOR_EMAIL, submitted_at=ago(hours=1)
    )


# Duplicates


def test_posting_seed_shaped_double_reply_holds_the_second_copy_only(
    post, form_token, paper, moderation
):
    original = original_reply(paper)
    response = post(paper, body=REPOSTED, token=form_token(paper))
    assert response.status_code == 302
    held = newest_comment()
    assert held.pk != original.pk
    assert held.status == Status.PENDING
    reasons = list(held.reasons.all())
    assert [(r.check_name, r.verdict, r.related_comment) for r in reasons] == [
        ("near_duplicate", "hold", original)
    ]
    assert re.fullmatch(rf"near-duplicate of #{original.pk} \(\d\d% similar\)", reasons[0].message)
    event = held.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", Status.PENDING, None)
    assert reasons[0].message in event.reason


def test_posting_genuinely_different_replies_by_the_same_guest_are_approved(
    post, paper, moderation
):
    original_reply(paper)
    for body in OTHER_REPLIES:
        let_time_pass()
        assert post(paper, body=body).status_code == 302
        comment = newest_comment()
        assert comment.body == body
        assert comment.status == Status.APPROVED
        assert not comment.reasons.exists()


def test_posting_different_replies_after_a_held_near_duplicate_are_approved(
    post, paper, moderation
):
    original_reply(paper)
    post(paper, body=REPOSTED)
    let_time_pass()
    post(paper, body=OTHER_REPLIES[0])
    let_time_pass()
    post(paper, body=OTHER_REPLIES[1])
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        REPLY: Status.APPROVED,
        REPOSTED: Status.PENDING,
        OTHER_REPLIES[0]: Status.APPROVED,
        OTHER_REPLIES[1]: Status.APPROVED,
    }
    assert list(ModerationReason.objects.values_list("check_name", flat=True)) == ["near_duplicate"]


def test_posting_exact_duplicate_is_refused_with_a_link_to_the_earlier_comment(
    post, paper, moderation
):
    original = original_reply(paper)
    typed = REPLY.replace("Tomasz,", "TOMASZ ---")  # the same words, differently punctuated
    response = post(paper, body=typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert escape(DUPLICATE_MESSAGE) in html
    assert f'<a href="/comments/{original.pk}/">See your earlier comment.</a>' in html
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert textarea.strip() == escape(typed)
    assert list(Comment.objects.all()) == [original]


def test_posting_exact_duplicate_of_a_held_comment_says_it_awaits_moderation(
    post, paper, moderation
):
    assert post(paper).status_code == 302  # a first comment: held
    held = newest_comment()
    assert held.status == Status.PENDING
    let_time_pass()
    response = post(paper)
    html = response.content.decode()
    assert response.status_code == 400
    assert escape(DUPLICATE_MESSAGE) in html
    assert "Your earlier comment is awaiting moderation." in html
    assert f'href="/comments/{held.pk}/"' not in html
    assert Comment.objects.count() == 1


def test_posting_exact_duplicate_stores_nothing_and_records_nothing(post, paper, moderation):
    original_reply(paper)
    events = ModerationEvent.objects.count()
    post(paper)
    assert Comment.objects.count() == 1
    assert ModerationEvent.objects.count() == events
    assert ModerationReason.objects.count() == 0


# Flood


def test_posting_twice_within_the_flood_window_gives_429(post, paper, moderation):
    assert post(paper, body=OTHER_REPLIES[0]).status_code == 302
    response = post(paper, body=OTHER_REPLIES[1])
    html = response.content.decode()
    assert response.status_code == 429
    assert escape(FLOOD_MESSAGE) in html
    textarea = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)[1]
    assert textarea.strip() == escape(OTHER_REPLIES[1])  # the refused text is kept
    assert list(Comment.objects.values_list("body", flat=True)) == [OTHER_REPLIES[0]]


def test_posting_from_the_same_address_under_another_email_is_flood_limited(
    post, paper, moderation
):
    post(paper, body=OTHER_REPLIES[0], remote_addr="198.51.100.7")
    response = another_guest(post, paper, remote_addr="198.51.100.7")
    assert response.status_code == 429
    assert escape(FLOOD_MESSAGE) in response.content.decode()
    assert Comment.objects.count() == 1


def test_posting_from_another_address_and_email_is_not_flood_limited(post, paper, moderation):
    post(paper, body=OTHER_REPLIES[0], remote_addr="198.51.100.7")
    response = another_guest(post, paper, remote_addr="203.0.113.9")
    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_posting_after_the_flood_window_is_accepted(post, paper, moderation):
    post(paper, body=OTHER_REPLIES[0])
    let_time_pass(minutes=1)
    assert post(paper, body=OTHER_REPLIES[1]).status_code == 302
    assert Comment.objects.count() == 2


# Bot traps


def test_posting_with_the_honeypot_filled_is_stored_as_spam(post, paper, moderation):
    response = post(paper, url="https://cheap.example.org/")
    assert response.status_code == 302
    comment = newest_comment()
    assert comment.status == Status.SPAM
    assert list(comment.reasons.values_list("check_name", flat=True)) == [
        "honeypot",
        "first_comment",
    ]


def test_posting_with_the_honeypot_filled_looks_to_the_poster_like_a_held_comment(
    post, page, paper, moderation
):
    bot, person = Client(), Client()
    bot_response = post(paper, using=bot, body=OTHER_REPLIES[0], url="https://x.example.org/")
    spam = newest_comment()
    person_response = post(
        paper,
        using=person,
        body=OTHER_REPLIES[1],
        email="p@example.net",
        name="Pat",
        remote_addr="10.1.1.1",
    )
    held = newest_comment()
    assert (spam.status, held.status) == (Status.SPAM, Status.PENDING)
    assert bot_response.status_code == person_response.status_code == 302
    assert bot_response["Location"] == f"{paper.get_absolute_url()}#comment-{spam.pk}"
    assert person_response["Location"] == f"{paper.get_absolute_url()}#comment-{held.pk}"
    bot_page = page(paper, using=bot)
    bot_item = comment_item(bot_page, spam)
    person_item = comment_item(page(paper, using=person), held)
    assert "spam" not in bot_page.lower().split('id="comments"')[1]
    assert HELD_NOTE in bot_item
    assert HELD_NOTE in person_item

    def shape(item, comment):
        return (
            item.replace(f"comment-{comment.pk}", "comment-N")
            .replace(f"/comments/{comment.pk}/", "/comments/N/")
            .replace(f'data-comment-id="{comment.pk}"', 'data-comment-id="N"')
            .replace(comment.body_html, "BODY")
            .replace(comment.name, "NAME")
        )

    assert shape(bot_item, spam) == shape(person_item, held)


def test_posting_faster_than_a_person_types_is_stored_as_spam(post, page, paper, moderation):
    moderation["min_seconds_to_post"] = 3
    response = post(paper, token=tokens.new_form_token())
    assert response.status_code == 302
    comment = newest_comment()
    assert comment.status == Status.SPAM
    assert comment.reasons.filter(check_name="too_fast").exists()
    assert HELD_NOTE in comment_item(page(paper), comment)


def test_posting_a_form_shown_long_enough_ago_is_not_spam(post, paper, moderation):
    moderation["min_seconds_to_post"] = 3

    class ShownTenSecondsAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 10)

    token = ShownTenSecondsAgo(salt=tokens.FORM_TOKEN_SALT).sign(secrets.token_hex(8))
    assert post(paper, token=token).status_code == 302
    comment = newest_comment()
    assert comment.status == Status.PENDING  # held as a first comment, not spam
    assert not comment.reasons.filter(check_name="too_fast").exists()


# Who sees what


def test_held_comment_is_shown_to_its_poster_only(post, page, paper, moderation):
    post(paper, body=OTHER_REPLIES[0])
    held = newest_comment()
    assert held.status == Status.PENDING
    own_page = page(paper)
    assert HELD_NOTE in comment_item(own_page, held)
    assert "seed swap" in own_page
    stranger_page = page(paper, using=Client())
    assert f'id="comment-{held.pk}"' not in stranger_page
    assert "seed swap" not in stranger_page


def test_thoughts_count_counts_approved_comments_only(post, page, paper, moderation):
    make_comment(paper, submitted_at=ago(hours=3))
    make_comment(paper, submitted_at=ago(hours=2))
    make_comment(paper, status=Status.PENDING, submitted_at=ago(hours=1))
    make_comment(paper, status=Status.SPAM, submitted_at=ago(hours=1))
    post(paper, body=OTHER_REPLIES[0])  # held, shown to this poster
    assert newest_comment().status == Status.PENDING
    expected = "2 thoughts on “Volunteers who stay”"
    assert expected in page(paper)
    assert expected in page(paper, using=Client())


def test_first_comment_by_a_guest_is_held_for_moderation(post, paper, moderation):
    post(paper, body=OTHER_REPLIES[0])
    comment = newest_comment()
    assert comment.status == Status.PENDING
    assert list(comment.reasons.values_list("check_name", flat=True)) == ["first_comment"]
    event = comment.events.get()
    assert (event.from_status, event.to_status) == ("", Status.PENDING)
    assert "first comment" in event.reason


# Trusted posters


def moderator():
    from django.contrib.auth.models import Group

    user = make_user("moderator", email="moderator@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def paper_author(paper):
    user = make_user("author", email="author@example.org")
    make_person(user=user).authorships.create(paper=paper)
    return user


@pytest.mark.parametrize(
    "who",
    [
        lambda paper: make_user("staffer", email="staffer@example.org", staff=True),
        lambda paper: moderator(),
        paper_author,
    ],
    ids=["staff", "moderator", "paper-author"],
)
def test_trusted_poster_first_comments_are_approved_and_not_flood_limited(
    client, paper, moderation, who
):
    user = who(paper)
    client.force_login(user)
    for body in OTHER_REPLIES:
        response = client.post(
            f"/comments/post/{paper.pk}/",
            {"body": body, "url": "", "parent": "", "token": tokens.new_form_token()},
        )
        assert response.status_code == 302
    comments = list(Comment.objects.all())
    assert [c.body for c in comments] == OTHER_REPLIES
    assert {c.status for c in comments} == {Status.APPROVED}
    assert {c.user for c in comments} == {user}
    assert not ModerationReason.objects.exists()
    paper.refresh_from_db()
    assert paper.comment_count == 2


def test_signed_in_ordinary_user_first_comment_is_held(client, paper, moderation):
    client.force_login(make_user("reader", email="reader@example.org"))
    response = client.post(
        f"/comments/post/{paper.pk}/",
        {"body": OTHER_REPLIES[0], "url": "", "parent": "", "token": tokens.new_form_token()},
    )
    assert response.status_code == 302
    assert newest_comment().status == Status.PENDING


def test_signed_in_ordinary_user_is_flood_limited(client, paper, moderation):
    client.force_login(make_user("reader", email="reader@example.org"))
    for body, expected in zip(OTHER_REPLIES, [302, 429], strict=True):
        response = client.post(
            f"/comments/post/{paper.pk}/",
            {"body": body, "url": "", "parent": "", "token": tokens.new_form_token()},
        )
        assert response.status_code == expected


def test_behind_a_trusted_proxy_guests_are_told_apart_by_forwarded_address(
    post, paper, moderation, settings
):
    settings.COLLOQUY_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    post(paper, body=OTHER_REPLIES[0], remote_addr=proxy, forwarded_for="203.0.113.5")
    other_guest = another_guest(
        post, paper, remote_addr=proxy, forwarded_for="spoofed.example, 203.0.113.9"
    )
    assert other_guest.status_code == 302
    same_guest = post(
        paper,
        using=Client(),
        name="Third Name",
        email="third@example.net",
        body="A third, quite different thought about seed swaps and gardens.",
        remote_addr=proxy,
        forwarded_for="203.0.113.5",
    )
    assert same_guest.status_code == 429
    assert Comment.objects.count() == 2


def test_without_trusted_proxies_a_forwarded_address_is_ignored(post, paper, moderation):
    post(paper, body=OTHER_REPLIES[0], remote_addr="198.51.100.7", forwarded_for="203.0.113.5")
    response = another_guest(post, paper, remote_addr="198.51.100.7", forwarded_for="203.0.113.77")
    assert response.status_code == 429
