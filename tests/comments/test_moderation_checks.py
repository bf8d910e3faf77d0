"""Each check of comments/moderation.py on its own: what it finds, and where it stops finding it.

New comments are built the way the posting service builds them (comment_build) and wrapped in
a Submission; earlier comments are real rows made by tests.factories.make_comment.
"""

import datetime
import math

import pytest
from django.utils import timezone

from comments import moderation
from comments.fingerprints import similarity, sketch
from comments.models import Comment, ModerationWord
from comments.moderation import Submission, Verdict
from comments.services import Identity, comment_build
from tests.comments.test_fingerprints import AUTHOR, AUTHOR_EMAIL, OTHER_REPLIES, REPLY, REPOSTED
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
DUPLICATE_MESSAGE = "Duplicate comment detected; it looks as though you've already said that!"
FLOOD_MESSAGE = "You are posting comments too quickly. Slow down."


@pytest.fixture
def options(moderation_settings):
    """A private copy of COLLOQUY_MODERATION that the test may change (conftest.py)."""
    return moderation_settings


@pytest.fixture
def paper():
    return make_paper()


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def submission(
    paper, *, body=REPLY, name=AUTHOR, email=AUTHOR_EMAIL, website="", user=None, **signals
):
    identity = Identity(name=name, email=email, website=website, user=user)
    return Submission(comment=comment_build(paper=paper, identity=identity, body=body), **signals)


def earlier(paper, *, body=REPLY, email=AUTHOR_EMAIL, submitted_at=None, **fields):
    """A comment posted before (a minute ago unless told), by the author unless told."""
    return make_comment(
        paper, body=body, email=email, submitted_at=submitted_at or ago(minutes=1), **fields
    )


# exact_duplicate


def test_exact_duplicate_refuses_the_same_text_by_the_same_guest_email(paper):
    original = earlier(paper)
    reformatted = " ".join(REPLY.upper().split())
    finding = moderation.exact_duplicate(
        submission(paper, body=reformatted, email=AUTHOR_EMAIL.upper())
    )
    assert finding.check == "exact_duplicate"
    assert finding.verdict == Verdict.REFUSE
    assert finding.message == DUPLICATE_MESSAGE
    assert finding.related == original


def test_exact_duplicate_refuses_when_the_earlier_copy_is_pending(paper):
    original = earlier(paper, status=Status.PENDING)
    finding = moderation.exact_duplicate(submission(paper))
    assert finding.verdict == Verdict.REFUSE
    assert finding.related == original


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_exact_duplicate_ignores_an_earlier_copy_in_spam_or_trash(paper, status):
    earlier(paper, status=status)
    assert moderation.exact_duplicate(submission(paper)) is None


def test_exact_duplicate_ignores_the_same_text_on_another_paper(paper):
    earlier(make_paper())
    assert moderation.exact_duplicate(submission(paper)) is None


def test_exact_duplicate_ignores_the_same_text_from_another_email(paper):
    earlier(paper, email="someone.else@example.net")
    assert moderation.exact_duplicate(submission(paper)) is None


def test_exact_duplicate_ignores_a_near_duplicate(paper):
    earlier(paper)
    assert moderation.exact_duplicate(submission(paper, body=REPOSTED)) is None


def test_exact_duplicate_refuses_the_same_signed_in_user_under_a_changed_email(paper):
    user = make_user("ilse", email="ilse@example.org")
    original = earlier(paper, user=user, email="ilse@example.org")
    user.email = "ilse.new@example.org"
    user.save()
    finding = moderation.exact_duplicate(
        submission(paper, name="ilse", email="ilse.new@example.org", user=user)
    )
    assert finding.verdict == Verdict.REFUSE
    assert finding.related == original


def test_exact_duplicate_ignores_the_same_text_by_another_user(paper):
    earlier(paper, user=make_user("first", email="first@example.org"))
    other = make_user("second", email="second@example.org")
    sub = submission(paper, name="second", email="second@example.org", user=other)
    assert moderation.exact_duplicate(sub) is None


def test_exact_duplicate_points_at_the_first_copy(paper):
    first = earlier(paper, submitted_at=ago(hours=2))
    earlier(paper, submitted_at=ago(hours=1), status=Status.PENDING)
    assert moderation.exact_duplicate(submission(paper)).related == first


# near_duplicate


def test_near_duplicate_holds_the_reposted_reply_naming_the_original(paper):
    original = earlier(paper)
    finding = moderation.near_duplicate(submission(paper, body=REPOSTED))
    percent = round(similarity(sketch(REPOSTED), sketch(REPLY)) * 100)
    assert 85 <= percent <= 95
    assert finding.check == "near_duplicate"
    assert finding.verdict == Verdict.HOLD
    assert finding.message == f"near-duplicate of #{original.pk} ({percent}% similar)"
    assert finding.related == original


def test_near_duplicate_holds_when_the_score_is_exactly_the_threshold(paper, options):
    earlier(paper)
    options["near_duplicate_threshold"] = similarity(sketch(REPOSTED), sketch(REPLY))
    finding = moderation.near_duplicate(submission(paper, body=REPOSTED))
    assert finding is not None
    assert finding.verdict == Verdict.HOLD


def test_near_duplicate_allows_when_the_score_is_just_below_the_threshold(paper, options):
    earlier(paper)
    score = similarity(sketch(REPOSTED), sketch(REPLY))
    options["near_duplicate_threshold"] = math.nextafter(score, 1.0)
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)) is None


@pytest.mark.parametrize("other", OTHER_REPLIES)
def test_near_duplicate_allows_a_genuinely_different_reply_by_the_same_author(paper, other):
    earlier(paper)
    assert moderation.near_duplicate(submission(paper, body=other)) is None


def test_near_duplicate_holds_against_a_pending_original(paper):
    original = earlier(paper, status=Status.PENDING)
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)).related == original


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_near_duplicate_ignores_an_original_in_spam_or_trash(paper, status):
    earlier(paper, status=status)
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)) is None


def test_near_duplicate_ignores_another_persons_comment(paper):
    earlier(paper, email="someone.else@example.net")
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)) is None


def test_near_duplicate_ignores_the_same_persons_comment_on_another_paper(paper):
    earlier(make_paper())
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)) is None


def test_near_duplicate_names_the_most_similar_earlier_comment(paper):
    earlier(paper, body=OTHER_REPLIES[0], submitted_at=ago(hours=3))
    original = earlier(paper, submitted_at=ago(hours=2))
    earlier(paper, body=OTHER_REPLIES[1], submitted_at=ago(hours=1))
    assert moderation.near_duplicate(submission(paper, body=REPOSTED)).related == original


# copy_paste


def test_copy_paste_holds_the_same_text_from_another_email(paper):
    other = earlier(paper, email="someone.else@example.net", name="Someone Else")
    finding = moderation.copy_paste(submission(paper))
    assert finding.check == "copy_paste"
    assert finding.verdict == Verdict.HOLD
    assert finding.message == f"suspected spam: same text as #{other.pk}, posted elsewhere"
    assert finding.related == other


def test_copy_paste_skips_trusted_posters(paper):
    earlier(make_paper(), email="someone.else@example.net", name="Someone Else")
    assert moderation.copy_paste(submission(paper, trusted=True)) is None
    assert moderation.copy_paste(submission(paper, body=REPOSTED, trusted=True)) is None


def test_copy_paste_holds_the_same_text_by_the_same_person_on_another_paper(paper):
    elsewhere = earlier(make_paper())
    finding = moderation.copy_paste(submission(paper))
    assert finding.verdict == Verdict.HOLD
    assert f"same text as #{elsewhere.pk}" in finding.message
    assert finding.related == elsewhere


def test_copy_paste_holds_the_same_or_near_same_text_from_another_email_on_another_paper(paper):
    other = earlier(make_paper(), email="someone.else@example.net")
    finding = moderation.copy_paste(submission(paper))
    assert finding.verdict == Verdict.HOLD
    assert finding.related == other
    near = moderation.copy_paste(submission(paper, email="third@example.net", body=REPOSTED))
    assert "suspected spam" in near.message


def test_copy_paste_holds_a_near_same_text_from_another_email_as_suspected_spam(paper):
    other = earlier(paper, email="someone.else@example.net")
    finding = moderation.copy_paste(submission(paper, body=REPOSTED))
    percent = round(similarity(sketch(REPOSTED), sketch(REPLY)) * 100)
    assert finding.verdict == Verdict.HOLD
    assert finding.message.startswith(f"suspected spam: {percent}% like #{other.pk}")
    assert finding.related == other


def test_copy_paste_ignores_the_same_persons_comments_on_the_same_paper(paper):
    earlier(paper)
    assert moderation.copy_paste(submission(paper)) is None
    assert moderation.copy_paste(submission(paper, body=REPOSTED)) is None


def test_copy_paste_ignores_different_texts(paper):
    earlier(paper, body=OTHER_REPLIES[0], email="someone.else@example.net")
    earlier(make_paper(), body=OTHER_REPLIES[1])
    assert moderation.copy_paste(submission(paper)) is None


def test_copy_paste_ignores_the_same_text_from_before_the_window(paper):
    earlier(paper, email="someone.else@example.net", submitted_at=ago(hours=25))
    earlier(make_paper(), submitted_at=ago(hours=25))
    assert moderation.copy_paste(submission(paper)) is None
    assert moderation.copy_paste(submission(paper, body=REPOSTED)) is None


def test_copy_paste_window_follows_the_setting(paper, options):
    options["copy_paste_window_hours"] = 1
    other = earlier(paper, email="someone.else@example.net", submitted_at=ago(minutes=59))
    assert moderation.copy_paste(submission(paper)).related == other
    other.submitted_at = ago(minutes=61)
    other.save()
    assert moderation.copy_paste(submission(paper)) is None


def test_copy_paste_compares_near_same_texts_only_among_the_newest(paper, options):
    options["copy_paste_scan"] = 1
    earlier(paper, email="someone.else@example.net", submitted_at=ago(minutes=10))
    earlier(paper, body=OTHER_REPLIES[0], email="third@example.net", submitted_at=ago(minutes=5))
    assert moderation.copy_paste(submission(paper, body=REPOSTED)) is None
    options["copy_paste_scan"] = 2
    assert moderation.copy_paste(submission(paper, body=REPOSTED)) is not None


# flood


def test_flood_refuses_the_same_email_within_the_window(paper):
    earlier(paper, body=OTHER_REPLIES[0], submitted_at=ago(seconds=5))
    finding = moderation.flood(submission(paper, email=AUTHOR_EMAIL.upper()))
    assert finding.check == "flood"
    assert finding.verdict == Verdict.REFUSE
    assert finding.message == FLOOD_MESSAGE
    assert finding.http_status == 429


def test_flood_refuses_the_same_email_on_another_paper(paper):
    earlier(make_paper(), body=OTHER_REPLIES[0], submitted_at=ago(seconds=5))
    assert moderation.flood(submission(paper)).verdict == Verdict.REFUSE


def test_flood_refuses_the_same_user_under_another_email(paper):
    user = make_user("quick", email="quick@example.org")
    earlier(paper, user=user, email="quick.old@example.org", submitted_at=ago(seconds=5))
    finding = moderation.flood(
        submission(paper, name="quick", email="quick@example.org", user=user)
    )
    assert finding.http_status == 429


def test_flood_refuses_the_same_client_key_under_another_email(paper):
    earlier(paper, email="first.name@example.net", client_key="k-203", submitted_at=ago(seconds=5))
    finding = moderation.flood(submission(paper, client_key="k-203"))
    assert finding.verdict == Verdict.REFUSE
    assert finding.http_status == 429


def test_flood_ignores_other_senders(paper):
    earlier(paper, email="someone.else@example.net", client_key="k-1", submitted_at=ago(seconds=1))
    assert moderation.flood(submission(paper, client_key="k-2")) is None


def test_flood_does_not_match_comments_without_a_client_key(paper):
    earlier(paper, email="someone.else@example.net", submitted_at=ago(seconds=1))
    assert moderation.flood(submission(paper, client_key="")) is None


def test_flood_allows_after_the_window(paper, options):
    seconds = options["flood_seconds"]
    earlier(paper, client_key="k-203", submitted_at=ago(seconds=seconds + 1))
    assert moderation.flood(submission(paper, client_key="k-203")) is None


def test_flood_window_is_fifteen_seconds_by_default(paper):
    previous = earlier(paper, submitted_at=timezone.now())
    assert moderation.flood(submission(paper)).verdict == Verdict.REFUSE
    previous.submitted_at = ago(seconds=16)
    previous.save()
    assert moderation.flood(submission(paper)) is None


def test_flood_window_follows_the_setting(paper, options):
    options["flood_seconds"] = 60
    previous = earlier(paper, submitted_at=ago(seconds=50))
    assert moderation.flood(submission(paper)) is not None
    previous.submitted_at = ago(seconds=70)
    previous.save()
    assert moderation.flood(submission(paper)) is None


def test_flood_recognises_an_email_typed_in_another_case(paper):
    earlier(paper, email=AUTHOR_EMAIL, submitted_at=ago(seconds=1))
    assert moderation.flood(submission(paper, email=AUTHOR_EMAIL.upper())) is not None


def test_flood_skips_trusted_posters(paper):
    earlier(paper, client_key="k-203", submitted_at=ago(seconds=1))
    assert moderation.flood(submission(paper, client_key="k-203", trusted=True)) is None


# links


def test_links_holds_more_links_than_allowed(paper, options):
    options["max_links"] = 2
    body = "See [one](https://one.example.org), [two](https://two.example.org) and [three](https://three.example.org)."
    finding = moderation.links(submission(paper, body=body))
    assert finding.check == "links"
    assert finding.verdict == Verdict.HOLD
    assert finding.message == "contains 3 links"


def test_links_allows_exactly_the_allowed_number(paper, options):
    options["max_links"] = 2
    body = "See [one](https://one.example.org) and [two](https://two.example.org)."
    assert moderation.links(submission(paper, body=body)) is None


def test_links_counts_bare_urls(paper, options):
    options["max_links"] = 2
    body = "Sources: https://one.example.org/a and https://two.example.org/b and http://three.example.org/c"
    finding = moderation.links(submission(paper, body=body))
    assert finding is not None
    assert finding.message == "contains 3 links"


def test_links_allows_text_without_links(paper, options):
    options["max_links"] = 0
    assert moderation.links(submission(paper)) is None


def test_links_limit_follows_the_setting(paper, options):
    options["max_links"] = 0
    body = "Only one: https://one.example.org/"
    assert moderation.links(submission(paper, body=body)).verdict == Verdict.HOLD


def test_links_skips_trusted_posters(paper, options):
    options["max_links"] = 0
    body = "https://one.example.org/ https://two.example.org/ https://three.example.org/"
    assert moderation.links(submission(paper, body=body, trusted=True)) is None


def test_links_allows_two_and_holds_a_third_by_default(paper):
    two = "https://example.org/a and [b](https://example.org/b)"
    assert moderation.links(submission(paper, body=two)) is None
    finding = moderation.links(submission(paper, body=two + " https://example.org/c"))
    assert (finding.verdict, finding.message) == (Verdict.HOLD, "contains 3 links")
    trusted = submission(paper, body=two + " https://e.org/c", trusted=True)
    assert moderation.links(trusted) is None


# moderation words and block words


def test_moderation_word_in_the_body_holds_whatever_its_case(paper):
    ModerationWord.objects.create(phrase="Citizen Science", action=ModerationWord.Action.HOLD)
    finding = moderation.moderation_words(submission(paper))
    assert finding.check == "moderation_words"
    assert finding.verdict == Verdict.HOLD
    assert "Citizen Science" in finding.message


HOLD, SPAM = ModerationWord.Action.HOLD, ModerationWord.Action.SPAM
FOUND_BY = {HOLD: ("moderation_words", Verdict.HOLD), SPAM: ("block_words", Verdict.SPAM)}


@pytest.mark.parametrize(
    ("action", "phrase", "field", "value"),
    [
        (HOLD, "pills", "name", "Cheap Pills Ilse"),
        (HOLD, "pills", "email", "cheap.pills@example.net"),
        (HOLD, "pills", "website", "https://cheap-pills.example.org/"),
        (HOLD, "pills", "body", "You should try CHEAP-PILLS today."),
        (SPAM, "casino", "name", "Casino Ilse"),
        (SPAM, "casino", "email", "casino@example.net"),
        (SPAM, "casino", "website", "https://casino.example.org/"),
        (SPAM, "casino", "body", "Visit my CaSiNo now."),
    ],
)
def test_a_moderation_word_holds_and_a_block_word_sends_to_spam_from_any_field(
    paper, action, phrase, field, value
):
    ModerationWord.objects.create(phrase=phrase, action=action)
    finding = moderation.moderation_words(submission(paper, **{field: value}))
    assert (finding.check, finding.verdict) == FOUND_BY[action]
    assert phrase in finding.message


def test_moderation_words_allow_text_without_them(paper):
    ModerationWord.objects.create(phrase="casino", action=ModerationWord.Action.SPAM)
    ModerationWord.objects.create(phrase="pills", action=ModerationWord.Action.HOLD)
    assert moderation.moderation_words(submission(paper)) is None


def test_block_word_outweighs_a_moderation_word(paper):
    ModerationWord.objects.create(phrase="forum", action=ModerationWord.Action.HOLD)
    ModerationWord.objects.create(phrase="thank-you message", action=ModerationWord.Action.SPAM)
    assert moderation.moderation_words(submission(paper)).verdict == Verdict.SPAM


def test_moderation_word_does_not_hold_a_trusted_poster(paper):
    ModerationWord.objects.create(phrase="forum", action=ModerationWord.Action.HOLD)
    assert moderation.moderation_words(submission(paper, trusted=True)) is None


def test_block_word_still_sends_a_trusted_posters_comment_to_spam(paper):
    ModerationWord.objects.create(phrase="forum", action=ModerationWord.Action.SPAM)
    assert moderation.moderation_words(submission(paper, trusted=True)).verdict == Verdict.SPAM


# first_comment


def test_first_comment_holds_a_guest_without_an_approved_comment(paper):
    finding = moderation.first_comment(submission(paper))
    assert finding.check == "first_comment"
    assert finding.verdict == Verdict.HOLD


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_first_comment_holds_a_guest_whose_earlier_comments_were_not_approved(paper, status):
    earlier(paper, body=OTHER_REPLIES[0], status=status)
    assert moderation.first_comment(submission(paper)).verdict == Verdict.HOLD


def test_first_comment_allows_a_guest_with_an_approved_comment_under_that_email(paper):
    earlier(paper, body=OTHER_REPLIES[0], email=AUTHOR_EMAIL.upper())
    assert moderation.first_comment(submission(paper)) is None


def test_first_comment_allows_a_guest_with_an_approved_comment_on_another_paper(paper):
    earlier(make_paper(), body=OTHER_REPLIES[0], status=Status.PENDING)
    assert moderation.first_comment(submission(paper)).verdict == Verdict.HOLD
    earlier(make_paper(), body=OTHER_REPLIES[1])
    assert moderation.first_comment(submission(paper)) is None


def test_first_comment_holds_a_guest_whose_approved_comment_used_another_email(paper):
    earlier(paper, body=OTHER_REPLIES[0], email="other.address@example.net", name=AUTHOR)
    assert moderation.first_comment(submission(paper)).verdict == Verdict.HOLD


def test_first_comment_allows_a_signed_in_user_with_an_approved_comment(paper):
    user = make_user("regular", email="regular@example.org")
    earlier(make_paper(), body=OTHER_REPLIES[0], user=user, email="regular@example.org")
    sub = submission(paper, name="regular", email="regular@example.org", user=user)
    assert moderation.first_comment(sub) is None


def test_first_comment_holds_a_signed_in_user_without_an_approved_comment(paper):
    user = make_user("newcomer", email="newcomer@example.org")
    sub = submission(paper, name="newcomer", email="newcomer@example.org", user=user)
    assert moderation.first_comment(sub).verdict == Verdict.HOLD


def test_first_comment_skips_trusted_posters(paper):
    assert moderation.first_comment(submission(paper, trusted=True)) is None


# bot traps


def test_bot_traps_send_a_filled_honeypot_to_spam(paper):
    finding = moderation.bot_traps(submission(paper, honeypot="https://spam.example.org"))
    assert finding.verdict == Verdict.SPAM
    assert finding.check == "honeypot"


def test_bot_traps_send_a_form_posted_too_fast_to_spam(paper, options):
    options["min_seconds_to_post"] = 3
    finding = moderation.bot_traps(submission(paper, seconds_to_post=2.9))
    assert finding.verdict == Verdict.SPAM
    assert finding.check == "too_fast"


@pytest.mark.parametrize("seconds", [3, 3.0, 3.1, 600])
def test_bot_traps_allow_a_form_posted_at_or_above_the_minimum(paper, options, seconds):
    options["min_seconds_to_post"] = 3
    assert moderation.bot_traps(submission(paper, seconds_to_post=seconds)) is None


def test_bot_traps_allow_an_empty_honeypot_and_unknown_timing(paper, options):
    options["min_seconds_to_post"] = 3
    assert moderation.bot_traps(submission(paper, honeypot="", seconds_to_post=None)) is None
