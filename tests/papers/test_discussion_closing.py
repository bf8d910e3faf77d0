"""Discussions closing: by an edition's rule (a number of days after a paper is published, or
when the edition ends), or by hand; kept open by hand past the rule. The paper page says since
when and why, shows no form, and a post to a closed discussion is refused with its text kept."""

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.tokens import new_form_token
from papers.discussion import AFTER_DAYS, AT_END, BY_HAND, discussion_state
from papers.models import Edition
from tests.factories import make_comment, make_edition, make_paper, make_stream

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PUBLISHED = datetime.datetime(2026, 4, 3, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _posts_go_through(settings):
    """Guests' first comments are approved, and a form may be posted at once."""
    moderation = {**settings.COLLOQUY_MODERATION, "min_seconds_to_post": 0}
    moderation["checks"] = {**moderation["checks"], "first_comment": False, "flood": False}
    settings.COLLOQUY_MODERATION = moderation
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0


def paper_under(rule, *, days=None, ends_on=datetime.date(2026, 4, 30), **fields):
    edition = make_edition(
        name="Colloquy Closing 2026",
        ends_on=ends_on,
        comments_close=rule,
        comments_close_days=days,
    )
    return make_paper(stream=make_stream(edition), published_on=PUBLISHED, **fields)


def at(year, month, day, hour=0, minute=0, second=0, microsecond=0):
    return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)


def read(client, paper):
    response = client.get(paper.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def post(client, paper, body="A comment typed in good time."):
    data = {"name": "Rosa Quintero", "email": "rosa@example.net", "website": "", "url": ""}
    data |= {"body": body, "parent": "", "token": new_form_token()}
    return client.post(f"/comments/post/{paper.pk}/", data)


def closed_notice(html):
    found = re.search(r'<p class="comments-closed">(.*?)</p>', html, re.S)
    return found and re.sub(r"\s+", " ", found[1]).strip()


# The rule, as discussion_state reads it


def test_an_edition_that_never_closes_keeps_discussions_open():
    paper = paper_under(Edition.CommentsClose.NEVER)
    assert discussion_state(paper, now=at(2036, 1, 1)).is_open


def test_after_days_closes_exactly_n_days_after_publication():
    paper = paper_under(AFTER_DAYS, days=30)
    closes = PUBLISHED + datetime.timedelta(days=30)
    assert discussion_state(paper, now=closes - datetime.timedelta(microseconds=1)).is_open
    state = discussion_state(paper, now=closes)
    assert not state.is_open
    assert (state.reason, state.since, state.days) == (AFTER_DAYS, closes, 30)
    assert state.closed_on == datetime.date(2026, 5, 3)


def test_after_days_without_a_number_of_days_never_closes():
    paper = paper_under(AFTER_DAYS, days=None)
    assert discussion_state(paper, now=at(2036, 1, 1)).is_open


def test_after_zero_days_a_discussion_closes_when_the_paper_is_published():
    paper = paper_under(AFTER_DAYS, days=0)
    assert not discussion_state(paper, now=PUBLISHED).is_open


def test_at_end_closes_at_the_end_of_the_last_day_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # UTC+12 in May
    paper = paper_under(AT_END, ends_on=datetime.date(2026, 5, 15))
    midnight_there = at(2026, 5, 15, 12)  # 16 May 00:00 in Auckland
    assert discussion_state(paper, now=midnight_there - datetime.timedelta(seconds=1)).is_open
    state = discussion_state(paper, now=midnight_there)
    assert not state.is_open
    assert (state.reason, state.since) == (AT_END, midnight_there)
    assert state.edition_name == "Colloquy Closing 2026"
    assert state.closed_on == datetime.date(2026, 5, 15)


def test_closed_by_hand_says_since_when_whatever_the_rule():
    paper = paper_under(Edition.CommentsClose.NEVER)
    moment = at(2026, 4, 10, 8)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        paper.comments_open = False
        paper.save()
    state = discussion_state(paper)
    assert (state.is_open, state.reason, state.since) == (False, BY_HAND, moment)
    assert state.closed_on == datetime.date(2026, 4, 10)


def test_kept_open_by_hand_past_the_editions_rule():
    paper = paper_under(AFTER_DAYS, days=1, keep_comments_open=True)
    assert discussion_state(paper, now=at(2030, 1, 1)).is_open
    paper = paper_under(AT_END, keep_comments_open=True)
    assert discussion_state(paper, now=at(2030, 1, 1)).is_open


def test_closing_by_hand_wins_over_keeping_open():
    paper = paper_under(Edition.CommentsClose.NEVER, keep_comments_open=True, comments_open=False)
    assert discussion_state(paper).reason == BY_HAND


def test_the_rule_is_read_at_the_current_moment_by_default():
    paper = paper_under(AFTER_DAYS, days=30)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 5, 3, 15, 29)):
        assert discussion_state(paper).is_open
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 5, 3, 15, 30)):
        assert not discussion_state(paper).is_open


# The paper page


def test_a_discussion_closed_after_days_says_when_and_why_and_has_no_form(client):
    paper = paper_under(AFTER_DAYS, days=30)  # closed on 3 May 2026, long before today
    make_comment(paper, body="Said while it was open.")
    html = read(client, paper)
    assert closed_notice(html) == (
        "Comments are closed. They closed on 3 May 2026: discussions close 30 days after a "
        "paper is published."
    )
    assert "Said while it was open." in html
    assert 'id="commentform"' not in html and "?replyto=" not in html


def test_one_day_is_said_in_the_singular(client):
    paper = paper_under(AFTER_DAYS, days=1)
    assert closed_notice(read(client, paper)) == (
        "Comments are closed. They closed on 4 April 2026: discussions close 1 day after a "
        "paper is published."
    )


def test_a_discussion_closed_when_the_edition_ended_names_the_edition(client):
    paper = paper_under(AT_END, ends_on=datetime.date(2026, 4, 30))
    assert closed_notice(read(client, paper)) == (
        "Comments are closed. They closed on 30 April 2026, when Colloquy Closing 2026 ended."
    )


def test_the_editions_name_is_escaped_in_the_notice(client):
    paper = paper_under(AT_END)
    Edition.objects.filter(pk=paper.edition_id).update(name="<b>Bold</b> 2026")
    paper.refresh_from_db()
    assert "when &lt;b&gt;Bold&lt;/b&gt; 2026 ended." in read(client, paper)


def test_a_discussion_closed_by_hand_says_so(client):
    paper = paper_under(Edition.CommentsClose.NEVER)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 4, 10, 8)):
        paper.comments_open = False
        paper.save()
    assert closed_notice(read(client, paper)) == (
        "Comments are closed. The organisers closed this discussion on 10 April 2026."
    )


def test_a_discussion_still_open_under_its_rule_has_the_form(client):
    edition = make_edition(comments_close=AFTER_DAYS, comments_close_days=30)
    paper = make_paper(stream=make_stream(edition))  # published yesterday
    html = read(client, paper)
    assert 'id="commentform"' in html and closed_notice(html) is None


def test_the_page_closes_when_the_time_comes(client):
    edition = make_edition(comments_close=AFTER_DAYS, comments_close_days=30)
    paper = make_paper(stream=make_stream(edition))
    assert 'id="commentform"' in read(client, paper)
    later = paper.published_on + datetime.timedelta(days=30)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = read(client, paper)
    assert 'id="commentform"' not in html and "They closed on" in html


# Posting


def test_a_post_to_a_discussion_closed_by_the_rule_is_refused_with_the_text_kept(client):
    paper = paper_under(AT_END)
    response = post(client, paper, body="Words <typed> as the edition ended.")
    assert response.status_code == 403
    assert not Comment.objects.exists()
    html = response.content.decode()
    assert closed_notice(html).endswith("when Colloquy Closing 2026 ended.")
    assert 'id="commentform"' not in html
    assert re.search(
        r'<textarea id="unposted-body" readonly[^>]*>Words &lt;typed&gt; as the edition ended.</textarea>',
        html,
    )


def test_a_post_sent_just_after_the_discussion_closed_is_refused(client):
    edition = make_edition(comments_close=AFTER_DAYS, comments_close_days=30)
    paper = make_paper(stream=make_stream(edition))
    later = paper.published_on + datetime.timedelta(days=30, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = post(client, paper)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_post_to_a_discussion_kept_open_past_the_rule_is_taken(client):
    paper = paper_under(AT_END, keep_comments_open=True)
    assert 'id="commentform"' in read(client, paper)
    response = post(client, paper, body="Still talking after the end.")
    assert response.status_code == 302
    assert Comment.objects.get().body == "Still talking after the end."


def test_opening_a_paper_again_by_hand_forgets_when_it_was_closed(client):
    paper = paper_under(Edition.CommentsClose.NEVER, comments_open=False)
    assert paper.comments_closed_at is not None
    paper.comments_open = True
    paper.save()
    assert paper.comments_closed_at is None
    assert discussion_state(paper, now=timezone.now()).is_open
    assert post(client, paper).status_code == 302
