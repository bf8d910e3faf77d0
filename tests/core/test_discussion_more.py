"""Threaded comments: sanitising, notifications, unsubscribe, the author's list, query counts."""

import re

import pytest
from django.core import mail

from comments.models import Comment
from comments.services import comment_set_status
from tests.factories import make_comment, make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db

# (what is typed, a pattern that would mean it became live markup)
HOSTILE = [
    ("<script>alert('x')</script>", r"<script"),
    ("[click](javascript:alert(1))", r"javascript:"),
    ('<img src=x onerror="alert(1)">', r"<img"),
    ('<a href="https://example.org" onclick="steal()">x</a>', r"<a[^<>]*onclick"),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", r'href="data:'),
    ('<p style="position:fixed">styled</p>', r"<p[^<>]*style="),
    ("<iframe src=https://example.org></iframe>", r"<iframe"),
    ("![x](https://example.org/pixel.png)", r"<img"),
]


@pytest.mark.parametrize(("body", "forbidden"), HOSTILE)
def test_hostile_markup_is_neutralised_on_the_page(client, post, open_moderation, body, forbidden):
    paper = make_paper()
    assert post(paper, body=body).status_code == 302
    comment = Comment.objects.get()
    assert not re.search(forbidden, comment.body_html)
    html = client.get(paper.get_absolute_url()).content.decode()
    discussion = html[html.index('id="comments"') :]
    assert not re.search(forbidden, discussion.split('id="respond"')[0])


def test_bare_urls_become_untrusted_links(client, post, open_moderation):
    paper = make_paper()
    post(paper, body="See https://example.org/notes for more.")
    assert (
        '<a href="https://example.org/notes" rel="nofollow ugc noopener">'
        in Comment.objects.get().body_html
    )


def test_paper_authors_are_told_of_new_approved_comments(
    post, open_moderation, mailoutbox, django_capture_on_commit_callbacks
):
    author = make_user(email="author@example.org")
    paper = make_paper(title="On gardens", authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, body="A new comment for the author.")
    assert [m.to for m in mailoutbox] == [["author@example.org"]]
    assert "On gardens" in mailoutbox[0].subject
    assert "A new comment for the author." in mailoutbox[0].body
    assert "rosa@example.net" not in mailoutbox[0].body


def test_held_comments_notify_nobody_until_approved(
    post, moderation, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, body="Held first, then approved.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment, Comment.Status.APPROVED, actor=None, reason="fine")
    assert [m.to for m in mailoutbox] == [["author@example.org"]]


def test_subscriber_is_told_of_replies_and_can_unsubscribe(
    client, post, open_moderation, django_capture_on_commit_callbacks
):
    paper = make_paper()
    post(paper, body="Tell me about replies.", notify="on")
    parent = Comment.objects.get()
    assert parent.notify_replies
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, parent=parent.pk, name="Other", email="other@example.net", body="A reply.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.net"]
    link = re.search(r"http://\S+/comments/unsubscribe/\S+/", message.body)[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.split("127.0.0.1:8000")[1]
    tampered = client.get(path.replace("/unsubscribe/", "/unsubscribe/x"))
    assert tampered.status_code == 400
    parent.refresh_from_db()
    assert parent.notify_replies
    response = client.get(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    parent.refresh_from_db()
    assert not parent.notify_replies
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(paper, parent=parent.pk, name="Third", email="third@example.net", body="More.")
    assert mail.outbox == []


def test_no_reply_mail_without_opting_in(
    post, open_moderation, mailoutbox, django_capture_on_commit_callbacks
):
    paper = make_paper()
    post(paper, body="Do not write to me.")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(
            paper,
            parent=Comment.objects.get().pk,
            name="Other Person",
            email="other@example.net",
            body="A reply nobody is told of.",
        )
    assert len(callbacks) == 1  # the notifications did run
    assert mailoutbox == []


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_failing_mail_server_never_loses_the_comment(
    post, open_moderation, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    author = make_user(email="author@example.org")
    paper = make_paper(authors=[make_person(user=author)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(paper, body="Survives a broken mail server.")
    assert len(callbacks) == 1
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_author_sees_comments_awaiting_their_reply_newest_first(client):
    author = make_user()
    paper = make_paper(authors=[make_person(user=author)])
    old = make_comment(paper, body="An older question.")
    answered = make_comment(paper, body="Already answered.")
    deep = make_comment(paper, parent=answered)
    make_comment(paper, parent=deep, user=author, by_paper_author=True)
    new = make_comment(paper, body="A newer question.")
    make_comment(make_paper(), body="On someone else's paper.")
    client.force_login(author)
    html = client.get("/me/").content.decode()
    assert html.index("A newer question.") < html.index("An older question.")
    assert "Already answered." not in html
    assert "someone else" not in html
    assert f"/comments/{new.pk}/" in html and f"/comments/{old.pk}/" in html


def test_me_requires_login(client):
    assert client.get("/me/").status_code == 302


def test_discussion_costs_the_same_queries_for_5_and_300_comments(
    client, settings, django_assert_num_queries
):
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0
    settings.COLLOQUY_THREADS_PER_PAGE = 0
    small, large = make_paper(), make_paper()
    for paper, count in ((small, 5), (large, 300)):
        parents = [None]
        for n in range(count):
            comment = make_comment(paper, parent=parents[n % len(parents)])
            if comment.depth < 4:
                parents.append(comment)
    # paper, authors, sections, references, the discussion's comments
    with django_assert_num_queries(5):
        small_html = client.get(small.get_absolute_url()).content.decode()
    with django_assert_num_queries(5):
        large_html = client.get(large.get_absolute_url()).content.decode()
    assert small_html.count('class="comment depth-') == 5
    assert large_html.count('class="comment depth-') == 300


def test_lists_show_comment_counts_without_a_query_per_paper(client, django_assert_num_queries):
    stream = make_stream()
    few = [make_paper(stream=stream) for _ in range(2)]
    make_comment(few[0])
    url = stream.get_absolute_url()
    # stream, count of papers, papers with stream and edition, their authors
    with django_assert_num_queries(4) as two:
        client.get(url)
    for _ in range(4):
        make_comment(make_paper(stream=stream))
    with django_assert_num_queries(len(two.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("1 comment<") == 5
    assert "No comments yet" in html
