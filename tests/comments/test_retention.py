"""What is kept and for how long (comments/retention.py): `manage.py purge` and the daily
purge task empty address hashes after their period (and wherever a reason quoted one),
delete expired personal data links and placeholders left without replies; nothing stores
a user agent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments import tasks
from comments.models import Comment, ModerationEvent, ModerationReason, PersonalDataLink
from comments.personal_data import link_email, new_link
from comments.retention import HASH_REMOVED
from comments.services import comment_remove
from comments.tokens import client_key, new_form_token
from tests.factories import make_comment, make_paper

pytestmark = pytest.mark.django_db
Status = Comment.Status


def purge():
    out = io.StringIO()
    call_command("purge", stdout=out)
    return out.getvalue()


def posted_days_ago(comment, days):
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_address_hashes_are_emptied_after_their_period_and_not_before(settings):
    settings.COLLOQUY_CLIENT_KEY_DAYS = 30
    paper = make_paper()
    old_key, new_key = client_key("203.0.113.7"), client_key("198.51.100.2")
    old = make_comment(paper, client_key=old_key)
    recent = make_comment(paper, client_key=new_key)
    posted_days_ago(old, 31)
    posted_days_ago(recent, 29)
    ModerationReason.objects.create(
        comment=recent, check_name="note", verdict="hold", message=f"same sender as {old_key}"
    )
    ModerationEvent.objects.create(
        comment=old, from_status="", to_status=Status.APPROVED, reason=f"client {old_key} ok"
    )
    assert "the address hashes of 1 comment(s) older than 30 days" in purge()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.client_key, recent.client_key) == ("", new_key)
    texts = [*ModerationReason.objects.values_list("message", flat=True)]
    texts += ModerationEvent.objects.values_list("reason", flat=True)
    assert not any(old_key in text for text in texts)
    assert f"same sender as {HASH_REMOVED}" in texts and f"client {HASH_REMOVED} ok" in texts


def test_a_posted_comment_keeps_a_keyed_hash_of_the_address_and_no_user_agent(
    client, open_moderation
):
    agent = "Mozilla/5.0 (X11; Linux x86_64) QuiteUniqueBrowser/99.1"
    paper = make_paper()
    form = {"name": "Ada", "email": "ada@example.net", "body": "Words.", "token": new_form_token()}
    response = client.post(
        f"/comments/post/{paper.pk}/", form, REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT=agent
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.client_key == client_key("192.0.2.44") != "192.0.2.44"
    stored = [str(getattr(comment, field.attname)) for field in Comment._meta.concrete_fields]
    assert not any("192.0.2.44" in value or "QuiteUniqueBrowser" in value for value in stored)
    assert not [f.name for f in Comment._meta.get_fields() if "agent" in f.name]


def test_expired_personal_data_links_are_deleted(settings):
    settings.COLLOQUY_PERSONAL_DATA_LINK_HOURS = 24
    (_, fresh), (_, stale) = new_link("a@example.net"), new_link("b@example.net")
    PersonalDataLink.objects.filter(email="b@example.net").update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert link_email(stale) is None  # expired: it works no more, even before the purge
    assert "1 expired personal data link(s)" in purge()
    assert list(PersonalDataLink.objects.values_list("email", flat=True)) == ["a@example.net"]
    assert link_email(fresh) == "a@example.net"


def test_a_placeholder_goes_once_its_replies_have_gone():
    paper = make_paper()
    kept, emptied = make_comment(paper), make_comment(paper)
    make_comment(paper, parent=kept)
    reply = make_comment(paper, parent=emptied)
    for comment in (kept, emptied):
        comment_remove(comment, reason="a test")
    assert set(Comment.objects.filter(status=Status.DELETED).values_list("pk", flat=True)) == {
        kept.pk,
        emptied.pk,
    }
    reply.delete()
    assert "1 deleted comment(s) left without replies" in purge()
    assert list(Comment.objects.filter(status=Status.DELETED).values_list("pk", flat=True)) == [
        kept.pk
    ]


def test_with_a_worker_the_purge_waits_a_day_and_each_run_schedules_the_next(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert tasks.schedule_purge() is True
    assert tasks.schedule_purge() is False  # one waits already
    (waiting,) = DBTaskResult.objects.all()
    assert waiting.task_path == "comments.tasks.purge_task"
    later = waiting.run_after - timezone.now()
    assert datetime.timedelta(hours=23) < later <= datetime.timedelta(days=1)
    old = make_comment(make_paper(), client_key=client_key("203.0.113.9"))
    posted_days_ago(old, 40)
    DBTaskResult.objects.update(status="RUNNING")  # the worker has taken it
    assert "address hashes of 1 comment(s)" in tasks.purge_task.call()
    old.refresh_from_db()
    assert old.client_key == ""
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the next one, a day on


def test_a_failing_purge_still_schedules_the_next(settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def broken():
        raise RuntimeError("the database went away for a moment")

    monkeypatch.setattr(tasks, "purge", broken)
    with pytest.raises(RuntimeError):
        tasks.purge_task.call()
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_without_a_worker_nothing_is_scheduled():
    assert tasks.schedule_purge() is False  # the immediate backend would purge at once
