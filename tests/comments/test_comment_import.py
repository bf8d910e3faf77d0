"""comment_import and comments_import: comments made elsewhere (the demo, the generator, a
WordPress export, the tests' make_comment) stored in the status and at the time they had,
each with the moderation event that gave it that status, telling nobody."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment
from comments.services import Identity, comment_build, comment_import, comment_set_status
from tests.factories import make_paper, make_person, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status
WHEN = datetime.datetime(2019, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
REASON = "imported from WordPress"


def guest(n):
    return Identity(f"Guest {n}", f"guest{n}@example.net")


def imported(paper, *, status=Status.APPROVED, n=1, **fields):
    fields.setdefault("submitted_at", WHEN + datetime.timedelta(minutes=n))
    return comment_import(
        paper=paper,
        identity=guest(n),
        body=f"Imported comment number {n}.",
        status=status,
        reason=REASON,
        **fields,
    )


@pytest.fixture
def watched_paper(settings):
    """A paper whose author has an account, and a moderator who wants to hear of held comments:
    everybody an e-mail could go to."""
    settings.COLLOQUY_NOTIFY_MODERATORS = True
    moderator = make_user(staff=True, email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return make_paper(authors=[make_person(user=make_user(email="author@example.org"))])


def test_importing_tells_nobody(watched_paper, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        parent = imported(watched_paper, notify_replies=True)
        imported(watched_paper, n=2, parent=parent)
        imported(watched_paper, n=3, parent=parent, status=Status.PENDING)
        imported(watched_paper, n=4, status=Status.SPAM)
    assert mailoutbox == []


@pytest.mark.parametrize("away", [Status.PENDING, Status.TRASH, Status.SPAM])
def test_an_imported_comment_approved_again_tells_nobody(
    away, watched_paper, mailoutbox, django_capture_on_commit_callbacks
):
    """The old bug: an imported comment had no event of its approval, so approving it again
    was taken for its first approval and told its paper's authors and its parent's author."""
    parent = imported(watched_paper, notify_replies=True)
    reply = imported(watched_paper, n=2, parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(reply, away, actor=None)
        comment_set_status(reply, Status.APPROVED, actor=None)
    assert mailoutbox == []


def test_an_imported_held_comment_approved_is_news(
    watched_paper, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    parent = imported(watched_paper, notify_replies=True)
    held = imported(watched_paper, n=2, parent=parent, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(held, Status.APPROVED, actor=None)
    assert sorted(m.to[0] for m in mailoutbox) == ["author@example.org", "guest1@example.net"]


@pytest.mark.parametrize("status", list(Status))
def test_the_event_that_gave_the_status_is_recorded_with_the_reason(status):
    comment = imported(make_paper(), status=status, submitted_at=WHEN)
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.submitted_at == comment.status_changed_at == WHEN
    (event,) = comment.events.all()
    assert (event.from_status, event.to_status, event.reason, event.at, event.actor) == (
        "",
        status,
        REASON,
        WHEN,
        None,
    )


def test_other_stored_fields_are_kept_and_any_other_is_an_error():
    author = make_user()
    paper = make_paper(authors=[make_person(user=author)])
    comment = comment_import(
        paper=paper,
        identity=Identity("An Author", author.email, user=author),
        body="Kept as it was.",
        status=Status.APPROVED,
        submitted_at=WHEN,
        reason=REASON,
        form_token="f" * 64,
        client_key="k" * 64,
        notify_replies=True,
    )
    comment.refresh_from_db()
    assert (comment.form_token, comment.client_key) == ("f" * 64, "k" * 64)
    assert comment.notify_replies and comment.by_paper_author and comment.user == author
    for refused in ({"form_tokn": "x"}, {"body_html": "<script>x()</script>"}, {"depth": 9}):
        with pytest.raises(TypeError, match="cannot take"):
            imported(paper, n=2, **refused)
    assert paper.comments.count() == 1


def _chain(paper, length, *, parent=None, start=0):
    """Comments built (not stored) each in reply to the one before."""
    built = []
    for n in range(start, start + length):
        parent = comment_build(paper=paper, identity=guest(n), body=f"Number {n}.", parent=parent)
        parent.status, parent.submitted_at = Status.APPROVED, WHEN + datetime.timedelta(hours=n)
        built.append(parent)
    return built


@pytest.fixture
def tree(settings):
    """Two threads stored in one call, every reply built while its parent was unsaved (and a
    reply to a comment of the first thread after the second): the place of comment number n
    as (parent's number, root's number, depth)."""
    settings.COLLOQUY_MAX_THREAD_DEPTH = 4
    paper = make_paper()
    first = _chain(paper, 6)
    replies = _chain(paper, 2, parent=first[1], start=8)
    services.comments_import([*first, *_chain(paper, 2, start=6), *replies], reason=REASON)
    stored = {int(c.body.split()[1].rstrip(".")): c for c in paper.comments.all()}
    assert sorted(stored) == list(range(10))
    assert all(len(c.events.all()) == 1 for c in stored.values())
    number = {c.pk: n for n, c in stored.items()}
    return {n: (number.get(c.parent_id), number.get(c.root_id), c.depth) for n, c in stored.items()}


def test_replies_to_comments_of_the_same_call_get_their_parent_and_depth(tree):
    """As posting gives them, at the deepest level too (a reply there goes beside its parent),
    whatever batches the comments are stored in."""
    parents_and_depths = {n: (parent, depth) for n, (parent, _root, depth) in tree.items()}
    assert parents_and_depths == {
        0: (None, 1),
        1: (0, 2),
        2: (1, 3),
        3: (2, 4),
        4: (2, 4),  # the deepest level: beside its parent
        5: (2, 4),
        6: (None, 1),
        7: (6, 2),
        8: (1, 3),
        9: (8, 4),
    }


def test_replies_to_comments_of_the_same_call_get_their_root(tree):
    roots = {n: root for n, (_parent, root, _depth) in tree.items()}
    assert roots == {0: None, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: None, 7: 6, 8: 0, 9: 0}


def test_large_imports_are_stored_in_batches(monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 3)
    paper = make_paper()
    built = _chain(paper, 2) + [
        comment_build(paper=paper, identity=guest(n), body=f"Top {n}.") for n in range(7)
    ]
    for comment in built[2:]:
        comment.status, comment.submitted_at = Status.APPROVED, WHEN
    with CaptureQueriesContext(connection) as queries:
        services.comments_import(built, reason=REASON)
    inserts = [q["sql"] for q in queries if 'INTO "comments_comment"' in q["sql"]]
    assert len(inserts) == 3  # [0:3] (a reply and its parent together), [3:6], [6:9]
    assert paper.comments.count() == 9
    assert paper.comments.filter(events__reason=REASON).count() == 9


def test_each_paper_is_recounted_once_with_its_approved_comments_only():
    papers = [make_paper(), make_paper()]
    built = []
    for n, status in enumerate([Status.APPROVED, Status.APPROVED, Status.PENDING, Status.SPAM]):
        for paper in papers:
            comment = comment_build(paper=paper, identity=guest(n), body=f"Comment {n}.")
            comment.status, comment.submitted_at = status, WHEN
            built.append(comment)
    with CaptureQueriesContext(connection) as queries:
        services.comments_import(built, reason=REASON)
    recounts = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "papers_paper"')]
    assert len(recounts) == 2
    for paper in papers:
        paper.refresh_from_db()
        assert paper.comment_count == 2


def test_an_imported_pending_comment_waits_in_the_moderation_queue(admin_client):
    paper = make_paper()
    imported(paper, status=Status.PENDING, n=7)
    imported(paper, n=8)
    html = admin_client.get("/admin/comments/pendingcomment/").content.decode()
    assert "Imported comment number 7." in html
    assert "Imported comment number 8." not in html
    paper.refresh_from_db()
    assert paper.comment_count == 1
