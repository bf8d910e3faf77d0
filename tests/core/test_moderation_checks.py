"""Each moderation check on its own, the pipeline's combination, and the seed-shaped pair."""

import datetime

import pytest
from django.utils import timezone

from comments import moderation as checks
from comments.fingerprints import similarity, sketch, text_hash
from comments.models import Comment, ModerationWord
from comments.moderation import Submission, Verdict
from comments.services import Identity, comment_build, is_trusted
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

# An original pair in the shape of the seed's accident: one reply posted twice, the second
# copy with one citation dropped and "Thank you again" changed to "Thanks again".
REPLY = (
    "Wiremu, thank you for such generous feedback. In their study, Okonkwo et al. describe how "
    "volunteers who answer questions in a help forum often begin as quiet readers who only "
    "lurk for months (2018, p. 42). Their confidence then grows as other members thank them "
    "in public and their answers are marked as helpful (Okonkwo et al., 2018, p. 47). This "
    "gradual recognition may also explain why so many long-standing helpers describe the "
    "forum as a second workplace rather than a hobby (Okonkwo et al., 2018, p. 51). I agree "
    "that thanking people openly is one of the cheapest ways a community can keep its "
    "helpers, and it costs the moderators almost nothing. Thank you again for commenting, I "
    "look forward to reading your paper.\n\nRegards,\n\nAroha"
)
REPOSTED = REPLY.replace(" (Okonkwo et al., 2018, p. 47)", "").replace(
    "Thank you again", "Thanks again"
)
OTHER_REPLIES = [
    "Hi Selin, thank you for commenting. Community radio in my town moved its call-in show "
    "to a messaging group during the floods, and older listeners joined it faster than we "
    "expected. Their children set up the phones, and within a week the group was busier than "
    "the studio line had ever been. I look forward to reading your paper.\n\nRegards,\n\nAroha",
    "Marcus, that is a fair challenge. The evidence on burnout is mostly from large projects, "
    "and small clubs may work differently because everyone knows who does the work. I would "
    "like to interview a few club secretaries next year to see whether the same pattern holds "
    "when the group meets face to face every week.\n\nRegards,\n\nAroha",
]


def submission(
    paper, *, name="Aroha Ngata", email="aroha@example.org", website="", body=REPLY, **extra
):
    identity = Identity(name, email, website)
    comment = comment_build(paper=paper, identity=identity, body=body)
    return Submission(comment=comment, **extra)


def test_seed_shaped_near_duplicate_is_about_ninety_percent_similar():
    assert 0.8 <= similarity(sketch(REPLY), sketch(REPOSTED)) <= 0.95
    for other in OTHER_REPLIES:
        assert similarity(sketch(REPLY), sketch(other)) < 0.1
    assert similarity(sketch(REPLY), sketch(REPLY)) == 1.0
    assert text_hash("Hello,   WORLD!") == text_hash("hello world")
    assert text_hash("hello world") != text_hash("hello there world")
    assert similarity(sketch(""), sketch("a")) <= 1.0


def test_exact_duplicate_is_refused_for_the_same_person_on_the_same_paper(moderation):
    paper = make_paper()
    earlier = make_comment(paper, email="aroha@example.org", body=REPLY.upper())
    finding = checks.exact_duplicate(submission(paper, email="AROHA@example.org"))
    assert finding.verdict == Verdict.REFUSE
    assert finding.related == earlier
    assert finding.message == (
        "Duplicate comment detected; it looks as though you've already said that!"
    )
    assert checks.exact_duplicate(submission(make_paper())) is None
    assert checks.exact_duplicate(submission(paper, email="else@example.org")) is None
    earlier.status = Comment.Status.TRASH
    earlier.save()
    assert checks.exact_duplicate(submission(paper)) is None


def test_near_duplicate_holds_with_its_similarity_at_the_threshold(moderation):
    paper = make_paper()
    earlier = make_comment(paper, email="aroha@example.org", body=REPLY)
    for other in OTHER_REPLIES:
        make_comment(paper, email="aroha@example.org", body=other)
    sub = submission(paper, body=REPOSTED)
    score = similarity(sub.comment.sketch, earlier.sketch)
    finding = checks.near_duplicate(sub)
    assert finding.verdict == Verdict.HOLD
    assert finding.related == earlier
    assert finding.message == f"near-duplicate of #{earlier.pk} ({score:.0%} similar)"
    moderation["near_duplicate_threshold"] = score
    assert checks.near_duplicate(sub) is not None
    moderation["near_duplicate_threshold"] = score + 0.001
    assert checks.near_duplicate(sub) is None
    moderation["near_duplicate_threshold"] = 0.7
    for other in OTHER_REPLIES:
        assert checks.near_duplicate(submission(make_paper(), body=other)) is None


def test_copy_paste_across_identities_is_held_within_the_window(moderation):
    paper = make_paper()
    original = make_comment(make_paper(), email="first@example.org", body=REPLY)
    finding = checks.copy_paste(submission(paper, email="second@example.org"))
    assert finding.verdict == Verdict.HOLD
    assert finding.related == original
    near = checks.copy_paste(submission(paper, email="third@example.org", body=REPOSTED))
    assert "suspected spam" in near.message
    assert checks.copy_paste(submission(paper, body=OTHER_REPLIES[0])) is None
    original.submitted_at = timezone.now() - datetime.timedelta(hours=25)
    original.save()
    assert checks.copy_paste(submission(paper, email="second@example.org")) is None


def test_flood_refuses_the_same_sender_within_fifteen_seconds(moderation):
    paper = make_paper()
    make_comment(paper, email="fast@example.org")
    finding = checks.flood(submission(paper, email="fast@example.org"))
    assert finding.verdict == Verdict.REFUSE
    assert finding.http_status == 429
    assert finding.message == "You are posting comments too quickly. Slow down."
    make_comment(paper, email="x@example.org", client_key="abc")
    assert checks.flood(submission(paper, email="new@example.org", client_key="abc"))
    assert checks.flood(submission(paper, email="new@example.org", client_key="zzz")) is None
    assert checks.flood(submission(paper, email="fast@example.org", trusted=True)) is None
    Comment.objects.update(submitted_at=timezone.now() - datetime.timedelta(seconds=16))
    assert checks.flood(submission(paper, email="fast@example.org")) is None


def test_flood_counts_a_signed_in_user_by_account(moderation):
    paper = make_paper()
    user = make_user()
    make_comment(paper, user=user)
    comment = comment_build(
        paper=paper, identity=Identity("Name", "other@example.org", user=user), body="Hi."
    )
    assert checks.flood(Submission(comment=comment))


def test_links_hold_above_the_limit(moderation):
    paper = make_paper()
    two = "https://example.org/a and [b](https://example.org/b)"
    assert checks.links(submission(paper, body=two)) is None
    finding = checks.links(submission(paper, body=two + " https://example.org/c"))
    assert (finding.verdict, finding.message) == (Verdict.HOLD, "contains 3 links")
    assert checks.links(submission(paper, body=two + " https://e.org/c", trusted=True)) is None


def test_moderation_and_block_words(moderation):
    paper = make_paper()
    assert checks.moderation_words(submission(paper)) is None
    ModerationWord.objects.create(phrase="casino", action=ModerationWord.Action.HOLD)
    ModerationWord.objects.create(phrase="cheap pills", action=ModerationWord.Action.SPAM)
    held = checks.moderation_words(submission(paper, body="Best CASINO bonus"))
    assert held.verdict == Verdict.HOLD
    assert checks.moderation_words(submission(paper, website="https://casino.example.org"))
    assert checks.moderation_words(submission(paper, name="Casino King"))
    spam = checks.moderation_words(submission(paper, body="buy Cheap Pills here"))
    assert spam.verdict == Verdict.SPAM


def test_first_comment_holds_guests_without_an_approved_comment(moderation):
    paper = make_paper()
    finding = checks.first_comment(submission(paper))
    assert finding.verdict == Verdict.HOLD
    make_comment(make_paper(), email="aroha@example.org", status=Comment.Status.PENDING)
    assert checks.first_comment(submission(paper))
    make_comment(make_paper(), email="aroha@example.org")
    assert checks.first_comment(submission(paper)) is None
    assert checks.first_comment(submission(paper, email="new@example.org", trusted=True)) is None


def test_bot_traps_send_to_spam(moderation):
    paper = make_paper()
    moderation["min_seconds_to_post"] = 3
    assert checks.bot_traps(submission(paper, honeypot="http://spam")).verdict == Verdict.SPAM
    assert checks.bot_traps(submission(paper, seconds_to_post=2.9)).verdict == Verdict.SPAM
    assert checks.bot_traps(submission(paper, seconds_to_post=3.0)) is None


def test_pipeline_strongest_verdict_wins_and_keeps_every_reason(moderation):
    paper = make_paper()
    ModerationWord.objects.create(phrase="lottery", action=ModerationWord.Action.SPAM)
    body = "lottery https://a.example.org https://b.example.org https://c.example.org"
    outcome = checks.moderate(submission(paper, body=body))
    assert outcome.verdict == Verdict.SPAM
    assert {f.check for f in outcome.findings} == {"block_words", "links", "first_comment"}


def test_pipeline_skips_disabled_checks_and_stops_at_a_refusal(moderation):
    paper = make_paper()
    moderation["checks"]["first_comment"] = False
    assert checks.moderate(submission(paper)).verdict == Verdict.ALLOW
    make_comment(paper, email="aroha@example.org", body=REPLY)
    outcome = checks.moderate(submission(paper))
    assert outcome.verdict == Verdict.REFUSE
    assert [f.check for f in outcome.findings] == ["flood"]
    moderation["checks"]["flood"] = False
    outcome = checks.moderate(submission(paper))
    assert [f.check for f in outcome.findings] == ["exact_duplicate"]


def test_trusted_people(moderation):
    paper_author = make_user()
    paper = make_paper(authors=[make_person(user=paper_author)])
    moderator = make_user(staff=True)
    assert is_trusted(paper, paper_author)
    assert not is_trusted(make_paper(), paper_author)
    assert is_trusted(paper, moderator)
    assert not is_trusted(paper, make_user())
    assert not is_trusted(paper, None)
