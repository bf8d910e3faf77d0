"""common.tasks.enqueue_on_commit: tasks go to the queue after the commit, never before, and a
queue that refuses one neither raises nor keeps the others from being enqueued."""

import logging

import pytest

from common.tasks import enqueue_on_commit


class Job:
    def __init__(self, name, *, refuses=False):
        self.name, self.refuses, self.enqueued = name, refuses, []

    def enqueue(self, *args):
        if self.refuses:
            raise ConnectionError("the queue is down")
        self.enqueued.append(args)


@pytest.mark.django_db
def test_tasks_are_enqueued_once_committed(django_capture_on_commit_callbacks):
    first, second = Job("first"), Job("second")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit([first, second], 7, "x")
        assert first.enqueued == [] and second.enqueued == []  # not before the commit
    assert len(callbacks) == 1
    assert first.enqueued == [(7, "x")] and second.enqueued == [(7, "x")]


@pytest.mark.django_db
def test_a_refused_task_is_logged_and_the_others_still_go(
    django_capture_on_commit_callbacks, caplog
):
    down, after = Job("down", refuses=True), Job("after")
    with (
        caplog.at_level(logging.ERROR, logger="common.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit([down, after], 3)
    assert after.enqueued == [(3,)]
    assert "Could not enqueue down(3,)" in caplog.text
    assert "the queue is down" in caplog.text
