"""The Moderation queue in the admin, the pending count on the admin index, and what members of
the Moderators group may do there (and may not do elsewhere)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import Comment
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
    response = client.post(
        "/admin/comments/pendingcomment/",
        {"action": "approve", "_selected_action": [held.pk], "index": 0},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.APPROVED
    assert client.get(f"/admin/papers/paper/{paper.pk}/change/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    for perm in ("papers.change_paper", "papers.add_paper", "auth.change_user", "auth.add_user"):
        assert not moderator.has_perm(perm)
