"""The Moderation queue in the admin, the pending count on the admin index, and what members of
the Moderators group may do there (and may not do elsewhere)."""

import datetime

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import Comment
from tests.comments.test_admin import confirm_delete_permanently, run_action
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_moderation_queue_lists_pending_oldest_first_with_count_on_index(admin_client):
    paper = make_paper()
    older = make_comment(paper, body="Older pending words.", status=Status.PENDING)
    newer = make_comment(paper, body="Newer pending words.", status=Status.PENDING)
    Comment.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=2)
    )
    make_comment(paper, body="Approved words.")
    html = admin_client.get("/admin/comments/pendingcomment/").content.decode()
    assert html.index("Older pending") < html.index("Newer pending")
    assert "Approved words" not in html
    assert f'href="/comments/{newer.pk}/">view on site' in html
    index = admin_client.get("/admin/").content.decode()
    assert "<strong>2</strong> comments awaiting moderation" in index


def test_moderator_can_approve_but_not_edit_papers_or_users(client):
    moderator = make_user(staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    paper = make_paper()
    held = make_comment(paper, status=Status.PENDING)
    client.force_login(moderator)
    assert client.get("/admin/comments/pendingcomment/").status_code == 200
    response = run_action(client, "approve", [held], "/admin/comments/pendingcomment/")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.APPROVED
    assert client.get(f"/admin/papers/paper/{paper.pk}/change/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    for perm in ("papers.change_paper", "papers.add_paper", "auth.change_user", "auth.add_user"):
        assert not moderator.has_perm(perm)


def test_moderator_deletes_permanently_from_the_queue_after_confirming(client):
    moderator = make_user(staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    paper = make_paper(title="A paper with a held thread")
    top = make_comment(paper)
    held = make_comment(paper, parent=top, status=Status.PENDING, body="Held words to delete.")
    reply = make_comment(paper, parent=held)
    client.force_login(moderator)
    page, response = confirm_delete_permanently(client, "/admin/comments/pendingcomment/", [held])
    html = page.content.decode()
    assert "Are you sure you want to delete this comment permanently?" in html
    assert "Held words to delete." in html and "A paper with a held thread" in html
    assert '<a href="/admin/comments/pendingcomment/">Moderation queue</a>' in html
    assert response.redirect_chain == [("/admin/comments/pendingcomment/", 302)]
    assert "1 comment deleted permanently." in response.content.decode()
    assert not Comment.objects.filter(pk=held.pk).exists()
    reply.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 2)
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.action_flag) == (moderator, str(held.pk), DELETION)


def test_queue_delete_confirmation_leaves_out_comments_no_longer_pending(admin_client):
    paper = make_paper()
    held = make_comment(paper, status=Status.PENDING, body="Still held.")
    approved = make_comment(paper, body="Approved by someone else meanwhile.")
    page, response = confirm_delete_permanently(
        admin_client, "/admin/comments/pendingcomment/", [held, approved]
    )
    html = page.content.decode()
    assert "Still held." in html and "Approved by someone else" not in html
    assert "1 comment deleted permanently." in response.content.decode()
    assert list(Comment.objects.all()) == [approved]
