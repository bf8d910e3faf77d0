"""Each approved comment can be cited: its permalink and a one-line APA-style "comment on"
reference, in a <details> of its own, the paper's title and the commenter's name as text."""

import datetime
import html as html_lib
import re

import pytest

from tests.factories import make_comment, make_paper

pytestmark = pytest.mark.django_db


def cite_of(html, pk):
    found = re.search(
        rf'<li id="comment-{pk}".*?<details class="comment-cite">.*?<p>(.*?)</p></details>',
        html,
        re.S,
    )
    return found and found.group(1)


def test_comment_reference_and_permalink(client, settings):
    settings.COLLOQUY_SITE_URL = "https://colloquy.example"
    settings.COLLOQUY_SITE_NAME = "Colloquy Test"
    paper = make_paper(title="Small groups keep people")
    comment = make_comment(
        paper,
        name="Ana Lima",
        submitted_at=datetime.datetime(2026, 5, 3, 12, tzinfo=datetime.UTC),
    )
    html = client.get(paper.get_absolute_url()).content.decode()
    url = f"https://colloquy.example/comments/{comment.pk}/"
    assert cite_of(html, comment.pk) == (
        "Ana Lima. (2026, May 3). Comment on “Small groups keep people” [Comment]. "
        f'Colloquy Test. <a href="{url}">{url}</a>'
    )
    assert client.get(f"/comments/{comment.pk}/").status_code == 302  # the permalink answers


def test_comment_reference_keeps_hostile_text_as_text(client):
    paper = make_paper(title='Braces {a} "q" </script><b>x</b> & Zoë')
    comment = make_comment(paper, name="Dr. <i>Evil</i> & Co.")
    html = client.get(paper.get_absolute_url()).content.decode()
    reference = cite_of(html, comment.pk)
    assert "<b>" not in reference and "<i>" not in reference
    text = html_lib.unescape(re.sub(r"<a [^>]*>.*?</a>", "", reference))
    assert text.startswith("Dr. <i>Evil</i> & Co. (")  # its own full stop, not two
    assert 'Comment on “Braces {a} "q" </script><b>x</b> & Zoë” [Comment].' in text


def test_held_comment_has_no_reference(client, django_user_model):
    paper = make_paper()
    held = make_comment(paper, status="pending")
    staff = django_user_model.objects.create_user("boss", is_staff=True, is_superuser=True)
    client.force_login(staff)
    html = client.get(paper.get_absolute_url()).content.decode()
    assert f'<li id="comment-{held.pk}"' in html  # a moderator sees it, awaiting moderation
    assert 'class="comment-cite"' not in html
