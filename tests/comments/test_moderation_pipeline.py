"""The moderation pipeline as a whole (moderation.refusal, then moderation.moderate) and who
it trusts (is_trusted)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import ModerationWord
from comments.moderation import Submission, Verdict, moderate, refusal
from comments.services import Identity, comment_build, is_trusted
from tests.comments.test_fingerprints import AUTHOR, AUTHOR_EMAIL, OTHER_REPLIES, REPLY, REPOSTED
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

THREE_LINKS = (
    "Read https://one.example.org/ and https://two.example.org/ and https://three.example.org/"
)


@pytest.fixture
def options(moderation_settings):
    """A private copy of the moderation settings (conftest.py); a post in under 3 s is fast."""
    moderation_settings["min_seconds_to_post"] = 3
    return moderation_settings


@pytest.fixture
def paper():
    return make_paper()


def submission(paper, *, body=REPLY, email=AUTHOR_EMAIL, user=None, **signals):
    identity = Identity(name=AUTHOR, email=email, user=user)
    signals.setdefault("seconds_to_post", 30.0)
    return Submission(comment=comment_build(paper=paper, identity=identity, body=body), **signals)


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def approved_before(paper, *, body=OTHER_REPLIES[0], **fields):
    fields.setdefault("email", AUTHOR_EMAIL)
    return make_comment(paper, body=body, submitted_at=ago(hours=1), **fields)


def checks_of(outcome):
    return [finding.check for finding in outcome.findings]


def test_moderate_allows_a_returning_guests_ordinary_comment(paper, options):
    approved_before(paper)
    assert refusal(submission(paper)) is None
    outcome = moderate(submission(paper))
    assert outcome.verdict == Verdict.ALLOW
    assert outcome.findings == []


def test_moderate_holds_a_guests_first_comment(paper, options):
    outcome = moderate(submission(paper))
    assert outcome.verdict == Verdict.HOLD
    assert checks_of(outcome) == ["first_comment"]


def test_moderate_takes_the_strongest_verdict_and_keeps_every_finding(paper, options):
    approved_before(paper)
    ModerationWord.objects.create(phrase="three.example", action=ModerationWord.Action.SPAM)
    outcome = moderate(submission(paper, body=THREE_LINKS))
    assert outcome.verdict == Verdict.SPAM
    assert checks_of(outcome) == ["block_words", "links"]
    assert [f.verdict for f in outcome.findings] == [Verdict.SPAM, Verdict.HOLD]


def test_moderate_keeps_holds_alongside_a_bot_trap(paper, options):
    outcome = moderate(submission(paper, body=THREE_LINKS, honeypot="x"))
    assert outcome.verdict == Verdict.SPAM
    assert checks_of(outcome) == ["honeypot", "links", "first_comment"]


def test_moderate_keeps_holds_alongside_a_block_word(paper, options):
    ModerationWord.objects.create(phrase="lottery", action=ModerationWord.Action.SPAM)
    outcome = moderate(submission(paper, body="lottery " + THREE_LINKS))
    assert outcome.verdict == Verdict.SPAM
    assert checks_of(outcome) == ["block_words", "links", "first_comment"]


def test_moderate_holds_a_near_duplicate_with_every_reason(paper, options):
    original = make_comment(paper, body=REPLY, email=AUTHOR_EMAIL, submitted_at=ago(hours=1))
    outcome = moderate(submission(paper, body=REPOSTED + "\n\n" + THREE_LINKS))
    assert outcome.verdict == Verdict.HOLD
    assert checks_of(outcome) == ["near_duplicate", "links"]
    assert outcome.findings[0].related == original


def test_moderate_does_not_run_a_disabled_check(paper, options):
    approved_before(paper)
    options["checks"]["links"] = False
    outcome = moderate(submission(paper, body=THREE_LINKS))
    assert outcome.verdict == Verdict.ALLOW
    assert "links" not in checks_of(outcome)


def test_moderate_does_not_run_disabled_first_comment_or_bot_traps(paper, options):
    options["checks"]["first_comment"] = False
    options["checks"]["bot_traps"] = False
    outcome = moderate(submission(paper, honeypot="filled", seconds_to_post=0.1))
    assert outcome.verdict == Verdict.ALLOW
    assert outcome.findings == []


def test_moderate_does_not_run_a_disabled_duplicate_check(paper, options):
    make_comment(paper, body=REPLY, email=AUTHOR_EMAIL, submitted_at=ago(hours=1))
    options["checks"]["exact_duplicate"] = False
    assert refusal(submission(paper)) is None
    outcome = moderate(submission(paper))
    assert outcome.verdict == Verdict.HOLD  # near_duplicate still sees the same text


def test_moderate_does_not_run_a_disabled_flood_check(paper, options):
    assert refusal(submission(paper)) is None
    make_comment(paper, body=REPLY, email=AUTHOR_EMAIL)  # just now: a flood, and the same text
    assert refusal(submission(paper)).check == "flood"
    options["checks"]["flood"] = False
    assert refusal(submission(paper)).check == "exact_duplicate"


def test_refusal_finds_a_pending_duplicate(paper, options):
    make_comment(paper, body=REPLY, email=AUTHOR_EMAIL, status="pending", submitted_at=ago(hours=1))
    found = refusal(submission(paper))
    assert (found.check, found.verdict, found.http_status) == (
        "exact_duplicate",
        Verdict.REFUSE,
        400,
    )


def test_refusal_needs_neither_the_rendered_text_nor_its_sketch(paper, options):
    make_comment(paper, body=REPLY, email=AUTHOR_EMAIL, submitted_at=ago(seconds=2))
    unrendered = submission(paper, client_key="k", honeypot="filled")
    unrendered.comment.body_html, unrendered.comment.sketch = "", b""
    found = refusal(unrendered)
    assert (found.check, found.http_status) == ("flood", 429)


def test_moderate_trusted_poster_skips_flood_and_holds(paper, options):
    make_comment(paper, body=OTHER_REPLIES[1], email=AUTHOR_EMAIL, submitted_at=ago(seconds=2))
    ModerationWord.objects.create(phrase="forum", action=ModerationWord.Action.HOLD)
    trusted = submission(paper, body=REPLY + "\n\n" + THREE_LINKS, trusted=True)
    assert refusal(trusted) is None
    outcome = moderate(trusted)
    assert outcome.verdict == Verdict.ALLOW
    assert outcome.findings == []


def test_moderate_trusted_poster_is_never_taken_for_a_bot(paper, options):
    approved_before(paper)
    for signals in ({"seconds_to_post": 0.5}, {"honeypot": "autofilled"}):
        outcome = moderate(submission(paper, trusted=True, **signals))
        assert outcome.findings == [], signals
    guest = moderate(submission(paper, seconds_to_post=0.5))
    assert checks_of(guest) == ["too_fast"]


def test_moderate_applies_duplicate_checks_to_trusted_posters(paper, options):
    make_comment(paper, body=REPLY, email=AUTHOR_EMAIL, submitted_at=ago(hours=1))
    outcome = moderate(submission(paper, body=REPOSTED, trusted=True))
    assert outcome.verdict == Verdict.HOLD
    assert checks_of(outcome) == ["near_duplicate"]
    assert refusal(submission(paper, trusted=True)).check == "exact_duplicate"


# is_trusted


def test_is_trusted_staff(paper):
    assert is_trusted(paper, make_user(staff=True))


def test_is_trusted_superuser(paper):
    assert is_trusted(paper, make_user(superuser=True))


def test_is_trusted_member_of_the_moderators_group(paper):
    user = make_user()
    user.groups.add(Group.objects.get(name="Moderators"))
    assert not user.is_staff
    assert is_trusted(paper, user)


def test_is_trusted_author_of_the_paper():
    user = make_user()
    paper = make_paper(authors=[make_person(user=user)])
    assert is_trusted(paper, user)


def test_is_trusted_not_an_author_of_another_paper(paper):
    user = make_user()
    make_paper(authors=[make_person(user=user)])
    assert not is_trusted(paper, user)


def test_is_trusted_not_a_co_author_person_without_the_account(paper):
    author = make_user()
    paper = make_paper(authors=[make_person(user=author)])
    assert not is_trusted(paper, make_user())


def test_is_trusted_not_an_ordinary_user(paper):
    assert not is_trusted(paper, make_user())


def test_is_trusted_not_a_guest(paper):
    assert not is_trusted(paper, None)
