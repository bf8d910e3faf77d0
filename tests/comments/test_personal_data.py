"""A person's data, through real HTTP (comments/personal_data.py, data_views.py,
admin_personal_data.py): asking for the link at /my-comments/ (the same answer and a mail
whether or not the address is known; rate-limited), the link's page, its JSON export and
its erasure (texts kept or removed), links tampered with, expired or replayed, the signed-in
pages and account deletion, and the two actions of the comments admin.

Everything a person does is done as a browser does it: the page is read, its form's CSRF
token taken, the form posted; the link is the one in the mail. Comments are made with the
factories; edits with the poster's own service, which keeps the earlier text.
"""

import datetime
import json
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment, ModerationEvent, PersonalDataLink
from comments.own import comment_revise
from comments.services import comment_remove
from papers.models import Person
from tests.factories import make_comment, make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
PASSWORD = "correct horse battery staple"  # tests/factories.make_user's
INVALID = "This link does not work"
SENT = "We have sent a message to"
NONE_HELD = "No comments have been made on"
DELETED = "This comment was deleted."
EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture(autouse=True)
def _quiet_moderation(open_moderation):
    """Edits made in setup go through moderation as posted ones do, approved."""
    return open_moderation


# Browsers, forms and mails


def browser():
    """A visitor's browser; it enforces CSRF as a real one does."""
    return Client(enforce_csrf_checks=True)


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found[1]


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)


def ask(address, *, using=None, remote_addr="127.0.0.1"):
    """Open /my-comments/, type the address, press the button: the response."""
    using = using or browser()
    page = using.get("/my-comments/", REMOTE_ADDR=remote_addr)
    assert page.status_code == 200, page.status_code
    token = csrf_token(page.content.decode())
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail goes on commit
        return using.post(
            "/my-comments/",
            {"email": address, "csrfmiddlewaretoken": token},
            REMOTE_ADDR=remote_addr,
        )


def mailed_link(message):
    """The path of the link a mail holds, or None."""
    found = re.search(r"https?://\S+/my-comments/\S+/", message.body)
    return urlsplit(found[0]).path if found else None


def link_for(address, **options):
    """The link's path, as its mail gives it to whoever asked with this address."""
    before = len(mail.outbox)
    response = ask(address, **options)
    assert response.status_code == 200
    assert len(mail.outbox) == before + 1, "no mail was sent"
    link = mailed_link(mail.outbox[-1])
    assert link, mail.outbox[-1].body
    return link


def read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def listed(soup):
    """The comment ids the list of one's comments links to, in order."""
    return [
        int(re.fullmatch(r"/comments/(\d+)/", a["href"])[1])
        for a in soup.select("ol.my-comments > li a")
    ]


def export(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def erase_through(client, erase_url, texts, *, confirm=True):
    """Open the erase page, choose, tick (or not) the box and press Erase."""
    page = client.get(erase_url)
    assert page.status_code == 200, page.status_code
    data = {"csrfmiddlewaretoken": csrf_token(page.content.decode())}
    if texts:
        data["texts"] = texts
    if confirm:
        data["confirm"] = "on"
    return client.post(erase_url, data)


def item(soup, comment):
    return soup.find("li", id=f"comment-{comment.pk}")


def anonymous_page(paper):
    return read(Client(), paper.get_absolute_url())


def search_page(q):
    return Client().get("/search/", {"q": q}).content.decode()


def search_hits(q):
    return [
        int(pk)
        for pk in re.findall(
            r'class="result result-comment">.*?/comments/(\d+)/', search_page(q), re.S
        )
    ]


def comments_feed():
    return Client().get("/feeds/comments/atom/").content.decode()


def public_pages(paper, *queries):
    """What anybody may read of a paper's discussion: its page, its feeds, the site's
    comment feeds, and search results."""
    anybody = Client()
    urls = [
        paper.get_absolute_url(),
        paper.get_absolute_url() + "comments/atom/",
        paper.get_absolute_url() + "comments/rss/",
        "/feeds/comments/atom/",
        "/feeds/comments/rss/",
    ]
    pages = {}
    for url in urls:
        response = anybody.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[url] = response.content.decode()
    for q in queries:
        pages[f"/search/?q={q}"] = search_page(q)
    return pages


def edit(comment, body):
    """Its poster's edit (as if within the edit window): the text it replaced is kept for
    moderators."""
    posted = Comment.objects.filter(pk=comment.pk)
    submitted_at = posted.values_list("submitted_at", flat=True).get()
    posted.update(submitted_at=timezone.now())
    comment_revise(comment, body=body)
    posted.update(submitted_at=submitted_at)
    comment.refresh_from_db()
    return comment


def comment_fields(comment):
    comment.refresh_from_db()
    return {
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
        "user": comment.user_id,
        "by_paper_author": comment.by_paper_author,
        "body": comment.body,
        "status": comment.status,
    }


def earlier_texts(comment):
    return list(
        ModerationEvent.objects.filter(comment_id=comment.pk)
        .exclude(text_before="")
        .order_by("at", "id")
        .values_list("text_before", flat=True)
    )


def snapshot():
    """Everything the erasure could change, to compare before and after a request."""
    return (
        list(Comment.objects.order_by("pk").values()),
        list(ModerationEvent.objects.order_by("pk").values_list("pk", "text_before")),
        list(PersonalDataLink.objects.order_by("pk").values_list("pk", "secret_hash")),
        list(get_user_model().objects.order_by("pk").values_list("pk", flat=True)),
    )


# The people of most tests: Rosa and Tomás discuss a paper, replying to each other; Rosa has
# edited a comment, and has one held and one in the trash; Ines (signed in) comments too.


@pytest.fixture
def paper():
    return make_paper(title="Keepers of the light")


@pytest.fixture
def people(paper):
    at = timezone.now() - datetime.timedelta(hours=3)
    ines = make_user("ines", first_name="Ines", last_name="Albrecht")
    rosa_first = make_comment(
        paper,
        name="Rosa Quintero",
        email="rosa@example.net",
        website="https://rosa.example/",
        body="Lighthouse logbooks record fog better than any barometer.",
        submitted_at=at,
        client_key="rosa-client-key-0001",
        notify_replies=True,
    )
    edit(rosa_first, "Lighthouse logbooks record fog, and wind, better than barometers.")
    tomas_reply = make_comment(
        paper,
        parent=rosa_first,
        name="Tomás Ferreira",
        email="tomas@example.org",
        website="https://tomas.example/",
        body="Seabirds also appear in the logbooks, as weather signs.",
        submitted_at=at + datetime.timedelta(minutes=1),
        client_key="tomas-client-key-0002",
    )
    tomas_first = make_comment(
        paper,
        name="Tomás Ferreira",
        email="tomas@example.org",
        website="https://tomas.example/",
        body="Keepers' wages were paid in oil and candles.",
        submitted_at=at + datetime.timedelta(minutes=2),
    )
    edit(tomas_first, "Keepers' wages were paid partly in oil, partly in candles.")
    rosa_reply = make_comment(
        paper,
        parent=tomas_first,
        name="Rosa Quintero",
        email="rosa@example.net",
        body="Candles were counted each month by the inspector.",
        submitted_at=at + datetime.timedelta(minutes=3),
    )
    rosa_held = make_comment(
        paper,
        name="Rosa Quintero",
        email="rosa@example.net",
        body="A held thought about fog horns and their keepers.",
        status=Status.PENDING,
        submitted_at=at + datetime.timedelta(minutes=4),
    )
    rosa_trashed = make_comment(
        paper,
        name="Rosa Quintero",
        email="rosa@example.net",
        body="A trashed remark about barometric pressure.",
        status=Status.TRASH,
        submitted_at=at + datetime.timedelta(minutes=5),
    )
    ines_comment = make_comment(
        paper,
        user=ines,
        body="Ines writes about the keepers' daughters.",
        submitted_at=at + datetime.timedelta(minutes=6),
    )
    return {
        "ines": ines,
        "rosa": [rosa_first, rosa_reply, rosa_held, rosa_trashed],
        "tomas": [tomas_reply, tomas_first],
        "ines_comment": ines_comment,
        "rosa_first": rosa_first,
        "rosa_reply": rosa_reply,
        "rosa_held": rosa_held,
        "tomas_reply": tomas_reply,
        "tomas_first": tomas_first,
    }


# Asking for the link


def test_the_request_page_is_a_form_with_csrf(people):
    soup = read(browser(), "/my-comments/")
    form = soup.find("form", method="post")
    assert form.find("input", attrs={"name": "email"}) is not None
    refused = browser().post("/my-comments/", {"email": "rosa@example.net"})
    assert refused.status_code == 403
    assert mail.outbox == []


def test_known_and_unknown_addresses_get_the_same_answer_and_a_mail_each(people):
    known, unknown = "rosa@example.net", "zora@example.net"
    answers = {address: ask(address) for address in (known, unknown)}
    for address, response in answers.items():
        assert response.status_code == 200
        assert f"{SENT} {address}." in response.content.decode()
    pages = [
        without_tokens(response.content.decode().replace(address, "ADDRESS"))
        for address, response in answers.items()
    ]
    assert pages[0] == pages[1]
    assert [r.status_code for r in answers.values()] == [200, 200]
    assert answers[known]["Content-Type"] == answers[unknown]["Content-Type"]
    assert sorted(answers[known].cookies) == sorted(answers[unknown].cookies)

    assert [message.to for message in mail.outbox] == [[known], [unknown]]
    assert mail.outbox[0].subject == mail.outbox[1].subject
    assert mailed_link(mail.outbox[0]).startswith("/my-comments/")
    assert mailed_link(mail.outbox[1]) is None
    assert NONE_HELD in mail.outbox[1].body
    assert NONE_HELD not in mail.outbox[0].body
    assert "24 hours" in mail.outbox[0].body
    # Only the hash of the known address's secret is stored; nothing for the unknown one.
    secret = mailed_link(mail.outbox[0]).split("/")[2]
    stored = PersonalDataLink.objects.get()
    assert stored.email == known
    assert stored.secret_hash != secret and secret not in stored.secret_hash
    assert len(stored.secret_hash) == 64


def test_an_address_with_only_a_placeholder_or_erased_comments_is_unknown(paper):
    gone = make_comment(paper, email="gone@example.net", body="Words to be taken back.")
    make_comment(paper, parent=gone, body="A reply that keeps the placeholder.")
    comment_remove(gone, reason="test")
    ask("gone@example.net")
    assert NONE_HELD in mail.outbox[-1].body


def test_a_mistyped_address_shows_the_form_again_and_sends_nothing(people):
    response = ask("not an address")
    assert response.status_code == 200
    html = response.content.decode()
    assert SENT not in html
    assert "Enter a valid email address." in html
    assert mail.outbox == []
    assert not PersonalDataLink.objects.exists()


def test_requests_beyond_five_an_hour_from_one_client_are_answered_alike_but_not_sent(people):
    addresses = [f"reader{n}@example.net" for n in range(6)] + ["rosa@example.net"]
    answers = [ask(address, remote_addr="203.0.113.7") for address in addresses]
    assert [r.status_code for r in answers] == [200] * 7
    first = without_tokens(answers[0].content.decode().replace(addresses[0], "ADDRESS"))
    for address, response in zip(addresses, answers, strict=True):
        html = without_tokens(response.content.decode().replace(address, "ADDRESS"))
        assert html == first
    assert [message.to for message in mail.outbox] == [[a] for a in addresses[:5]]
    assert not PersonalDataLink.objects.exists()  # rosa's came after the fifth
    # Another client may still ask.
    link_for("rosa@example.net", remote_addr="198.51.100.9")


def test_requests_beyond_five_an_hour_for_one_address_are_answered_alike_but_not_sent(people):
    typed = [
        "rosa@example.net",
        "Rosa@Example.net",
        "ROSA@EXAMPLE.NET",
        "rosa@example.net",
        "rOsA@example.NET",
        "Rosa@example.net",
    ]
    answers = [ask(a, remote_addr=f"198.51.100.{n}") for n, a in enumerate(typed, 1)]
    assert all(SENT in r.content.decode() for r in answers)
    assert len(mail.outbox) == 5
    assert PersonalDataLink.objects.count() == 5
    # Another address from the same client as the sixth is still mailed.
    ask("tomas@example.org", remote_addr="198.51.100.6")
    assert mail.outbox[-1].to == ["tomas@example.org"]
    assert len(mail.outbox) == 6


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(people):
    for n in range(6):
        response = ask(
            f"reader{n}@example.net",
            using=browser(),
            remote_addr="203.0.113.7",
        )
        assert response.status_code == 200
    assert len(mail.outbox) == 5
    visitor = browser()
    page = visitor.get("/my-comments/", REMOTE_ADDR="203.0.113.7")
    with TestCase.captureOnCommitCallbacks(execute=True):
        visitor.post(
            "/my-comments/",
            {"email": "rosa@example.net", "csrfmiddlewaretoken": csrf_token(page.content.decode())},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR="192.0.2.44",
        )
    assert len(mail.outbox) == 5


# The link's page


def test_the_link_lists_exactly_the_comments_made_with_that_address(people, paper):
    for typed in ("rosa@example.net", "  Rosa@EXAMPLE.Net "):
        link = link_for(typed)
        assert mail.outbox[-1].to == [typed.strip().lower()]  # as comments keep it
        soup = read(Client(), link)
        assert listed(soup) == [c.pk for c in people["rosa"]]
        text = soup.get_text(" ", strip=True)
        assert "The comments made with rosa@example.net: 4." in text
        for comment in people["rosa"]:
            comment.refresh_from_db()
            assert comment.body in text
        for comment in people["tomas"]:
            assert comment.body not in text
        assert "tomas@example.org" not in str(soup) and "Tomás" not in text
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.find("a", href=f"{link}data.json") is not None
        assert soup.find("a", href=f"{link}erase/") is not None
    assert PersonalDataLink.objects.filter(email="rosa@example.net").count() == 2


def test_the_link_page_marks_held_and_trashed_comments(people):
    soup = read(Client(), link_for("rosa@example.net"))
    badges = [
        (li.find("span", class_="badge") or BeautifulSoup("", "html.parser")).get_text()
        for li in soup.select("ol.my-comments > li")
    ]
    assert badges == ["", "", "not shown", "removed"]


# The JSON export


def test_the_json_export_holds_exactly_that_persons_data(people, paper, settings):
    rosa_first = people["rosa_first"]
    data = export(Client(), link_for("rosa@example.net") + "data.json")
    assert data["email"] == "rosa@example.net"
    assert data["site"] == settings.COLLOQUY_SITE_NAME
    assert "account" not in data
    assert [c["id"] for c in data["comments"]] == [c.pk for c in people["rosa"]]
    first = data["comments"][0]
    assert first["name"] == "Rosa Quintero"
    assert first["email"] == "rosa@example.net"
    assert first["website"] == "https://rosa.example/"
    assert first["text"] == "Lighthouse logbooks record fog, and wind, better than barometers."
    assert first["earlier_texts"] == ["Lighthouse logbooks record fog better than any barometer."]
    assert first["status"] == "approved"
    assert first["notify_replies"] is True
    assert first["client_address_hash_kept"] is True
    assert first["edited_at"] is not None
    rosa_first.refresh_from_db()
    assert datetime.datetime.fromisoformat(first["submitted_at"]) == rosa_first.submitted_at
    assert first["url"].endswith(f"/comments/{rosa_first.pk}/")
    assert first["paper"]["title"] == "Keepers of the light"
    assert first["paper"]["url"].endswith(paper.get_absolute_url())
    assert [c["status"] for c in data["comments"]] == ["approved", "approved", "pending", "trash"]
    assert [c["earlier_texts"] for c in data["comments"][1:]] == [[], [], []]
    assert data["comments"][1]["text"] == "Candles were counted each month by the inspector."
    assert data["comments"][1]["edited_at"] is None


def _strings(value):
    """Every string and number in a JSON document (keys too), each once."""
    if isinstance(value, dict):
        return set().union(*(_strings(k) | _strings(v) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(set(), *(_strings(v) for v in value))
    return {value} if value is not None else set()


def _values_of(comments, users=()):
    """Every value held in the rows of these comments, of their moderation events and
    reasons, and of these accounts: as stored, and as an export would write it."""
    values = set()
    rows = [
        *Comment.objects.filter(pk__in=[c.pk for c in comments]).values(),
        *ModerationEvent.objects.filter(comment__in=comments).values(),
        *get_user_model().objects.filter(pk__in=[u.pk for u in users]).values(),
    ]
    for row in rows:
        for value in row.values():
            if isinstance(value, datetime.datetime):
                values |= {value.isoformat(), value.astimezone(datetime.UTC).isoformat()}
            elif isinstance(value, (str, int)) and not isinstance(value, bool):
                values.add(value)
    for comment in comments:
        values.add(comment.get_absolute_url())
    return values


def test_no_value_of_another_persons_data_is_in_an_export(people, paper):
    """Person A's export holds no value that belongs to B: every column of B's comments, of
    their moderation events, of B's account, whether A's data has the same value or not."""
    rosa, tomas, ines = people["rosa"], people["tomas"], [people["ines_comment"]]
    exports = {
        "rosa": export(Client(), link_for("rosa@example.net") + "data.json"),
        "tomas": export(Client(), link_for("tomas@example.org") + "data.json"),
    }
    signed_in = Client()
    signed_in.force_login(people["ines"])
    exports["ines"] = export(signed_in, "/me/comments/data.json")
    owners = {"rosa": (rosa, ()), "tomas": (tomas, ()), "ines": (ines, [people["ines"]])}
    values = {who: _values_of(*held) for who, held in owners.items()}
    shared = {  # what belongs to nobody: the paper, the site, a status, a reason of import
        paper.title,
        paper.pk,
        "approved",
        "made by a test",
        "",
    }
    for who, data in exports.items():
        text = json.dumps(data, ensure_ascii=False)
        found = _strings(data)
        # The comparison can see a person's values: their own are there.
        name, email = Comment.objects.filter(pk=owners[who][0][0].pk).values_list("name", "email")[
            0
        ]
        assert {name, email} <= found, (who, name, email)
        for other, theirs in values.items():
            if other == who:
                continue
            own = values[who]
            foreign = {v for v in theirs - own - shared if not isinstance(v, int)}
            assert not foreign & found, (who, other, foreign & found)
            for value in foreign:
                if isinstance(value, str) and len(value) >= 6:
                    assert value not in text, (who, other, value)
            foreign_ids = {c.pk for c in owners[other][0]}
            ids = [c["id"] for c in data["comments"]]
            assert not foreign_ids & set(ids), (who, other)
            assert not any(
                url.endswith(f"/comments/{pk}/")
                for pk in foreign_ids
                for url in found
                if isinstance(url, str)
            )


# Erasure, texts kept


def test_erasing_with_texts_kept(people, paper):
    rosa_first, rosa_reply, rosa_held, rosa_trashed = people["rosa"]
    link = link_for("rosa@example.net")
    tomas_link = link_for("tomas@example.org")
    anonymous_page(paper)  # in the page cache
    paper.refresh_from_db()
    count = paper.comment_count
    assert count == 5
    assert search_hits("wind") == [rosa_first.pk]
    assert "Rosa Quintero" in search_page("wind")

    guest = browser()
    soup = read(guest, link + "erase/")
    form = soup.find("form", action=link + "erase/")
    assert form["method"] == "post"
    assert {i["value"] for i in form.find_all("input", attrs={"name": "texts"})} == {
        "keep",
        "remove",
    }
    assert form.find("input", attrs={"name": "confirm", "type": "checkbox"}) is not None

    response = erase_through(guest, link + "erase/", "keep")
    assert response.status_code == 200
    done = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "4 comments erased" in done
    assert "The link you used no longer works." in done

    for comment in people["rosa"]:
        before_body = comment.body
        fields = comment_fields(comment)
        assert fields["name"] == "Anonymous"
        assert (fields["email"], fields["website"], fields["user"]) == ("", "", None)
        assert fields["by_paper_author"] is False
        assert fields["body"] == before_body
        assert earlier_texts(comment) == []
        assert comment.client_key == "" and comment.notify_replies is False
    assert comment_fields(rosa_held)["status"] == Status.PENDING
    assert comment_fields(rosa_trashed)["status"] == Status.TRASH
    # Tomás keeps everything, his earlier text too.
    assert comment_fields(people["tomas_first"])["name"] == "Tomás Ferreira"
    assert earlier_texts(people["tomas_first"]) == ["Keepers' wages were paid in oil and candles."]
    paper.refresh_from_db()
    assert paper.comment_count == count

    soup = anonymous_page(paper)
    li = item(soup, rosa_first)
    assert li.select_one(".comment-author").get_text(strip=True) == "Anonymous"
    assert li.find("article").select_one(".comment-author a") is None  # no website
    assert "and wind, better" in li.get_text()
    reply = item(soup, rosa_reply)
    assert reply.select_one(".comment-author").get_text(strip=True) == "Anonymous"
    assert item(li, people["tomas_reply"]) is not None
    html = str(soup)
    assert "Rosa Quintero" not in html and "rosa.example" not in html
    assert "Tomás Ferreira" in html

    assert search_hits("wind") == [rosa_first.pk]
    assert "Anonymous on" in search_page("wind")
    assert search_hits("Rosa") == [] and search_hits("Quintero") == []
    feed = comments_feed()
    assert "Rosa Quintero" not in feed and "and wind, better" in feed

    tomas = export(Client(), tomas_link + "data.json")
    assert "rosa" not in json.dumps(tomas).lower()
    for url in (link, link + "data.json", link + "erase/"):
        response = Client().get(url)
        assert response.status_code == 404
        assert INVALID in response.content.decode()
    assert not PersonalDataLink.objects.filter(email="rosa@example.net").exists()
    ask("rosa@example.net")
    assert NONE_HELD in mail.outbox[-1].body

    for url, page in public_pages(paper, "wind", "candles", "Rosa").items():
        assert not EMAIL_LIKE.search(page), (url, EMAIL_LIKE.search(page))
        assert "Rosa Quintero" not in page, url


# Erasure, texts removed


def test_erasing_with_texts_removed(people, paper):
    rosa_first, rosa_reply, rosa_held, rosa_trashed = people["rosa"]
    link = link_for("rosa@example.net")
    before = anonymous_page(paper)
    assert "5 thoughts on" in before.find(id="comments-title").get_text()
    assert search_hits("wind") == [rosa_first.pk]
    assert search_hits("inspector") == [rosa_reply.pk]

    guest = browser()
    response = erase_through(guest, link + "erase/", "remove")
    assert response.status_code == 200
    assert "4 comments erased, with their text" in BeautifulSoup(
        response.content, "html.parser"
    ).get_text(" ", strip=True)

    rosa_first.refresh_from_db()  # Tomás replied to it: a placeholder
    assert rosa_first.status == Status.DELETED
    assert (rosa_first.body, rosa_first.name, rosa_first.email, rosa_first.website) == (
        "",
        "",
        "",
        "",
    )
    assert earlier_texts(rosa_first) == []
    for gone in (rosa_reply, rosa_held, rosa_trashed):
        assert not Comment.objects.filter(pk=gone.pk).exists()
    assert set(Comment.objects.values_list("pk", flat=True)) == {
        rosa_first.pk,
        people["tomas_reply"].pk,
        people["tomas_first"].pk,
        people["ines_comment"].pk,
    }
    paper.refresh_from_db()
    assert paper.comment_count == 3

    soup = anonymous_page(paper)
    assert "3 thoughts on" in soup.find(id="comments-title").get_text()
    li = item(soup, rosa_first)
    assert li.find("article").get_text(" ", strip=True) == DELETED
    assert item(li, people["tomas_reply"]) is not None, "the reply left its place"
    assert item(soup, rosa_reply) is None
    html = str(soup)
    for words in ("Rosa Quintero", "and wind", "inspector", "fog"):
        assert words not in html

    assert search_hits("wind") == []
    assert search_hits("inspector") == []
    assert search_hits("seabirds") == [people["tomas_reply"].pk]
    feed = feedparser.parse(comments_feed())
    links = [entry.link for entry in feed.entries]
    for gone in (rosa_first, rosa_reply):
        assert not any(link.endswith(f"/comments/{gone.pk}/") for link in links)
    assert any(link.endswith(f"/comments/{people['tomas_reply'].pk}/") for link in links)
    assert "inspector" not in str(feed) and "Rosa" not in str(feed)

    assert Client().get(link).status_code == 404
    for url, page in public_pages(paper, "wind", "seabirds").items():
        assert not EMAIL_LIKE.search(page), url
        assert "Rosa Quintero" not in page, url


def test_removing_a_reply_under_ones_own_comment_removes_both(paper):
    top = make_comment(paper, email="solo@example.net", body="A lone thought on lamp oil.")
    own_reply = make_comment(paper, parent=top, email="solo@example.net", body="And on wicks.")
    response = erase_through(browser(), link_for("solo@example.net") + "erase/", "remove")
    assert response.status_code == 200
    assert not Comment.objects.filter(pk__in=[top.pk, own_reply.pk]).exists()
    paper.refresh_from_db()
    assert paper.comment_count == 0


def test_an_erase_without_the_box_ticked_or_a_choice_erases_nothing(people):
    link = link_for("rosa@example.net")
    before = snapshot()
    for texts, confirm in (("keep", False), (None, True), ("burn", True)):
        response = erase_through(browser(), link + "erase/", texts, confirm=confirm)
        assert response.status_code == 400
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select(".invalid-feedback, .errorlist"), "no error is shown"
    assert snapshot() == before
    assert read(Client(), link) is not None


def test_an_erase_posted_without_csrf_is_refused(people):
    link = link_for("rosa@example.net")
    before = snapshot()
    response = browser().post(link + "erase/", {"texts": "remove", "confirm": "on"})
    assert response.status_code == 403
    assert snapshot() == before


# GET changes nothing


def test_get_on_every_page_of_the_link_changes_nothing(people, paper):
    link = link_for("rosa@example.net")
    paper.refresh_from_db()
    updated = paper.updated_at
    before = snapshot()
    visitor = Client()
    for url in (link, link + "data.json", link + "erase/", link + "erase/?texts=remove&confirm=on"):
        assert visitor.get(url).status_code == 200
        visitor.head(url)
    assert snapshot() == before
    paper.refresh_from_db()
    assert paper.updated_at == updated


def test_get_on_the_signed_in_pages_changes_nothing(people):
    signed_in = Client()
    signed_in.force_login(people["ines"])
    before = snapshot()
    for url in (
        "/me/comments/",
        "/me/comments/data.json",
        "/me/comments/erase/",
        "/me/delete-account/",
        "/me/delete-account/?password=correct+horse+battery+staple&texts=remove&confirm=on",
    ):
        assert signed_in.get(url).status_code == 200, url
    assert snapshot() == before


# Links that do not work


def _tampered(link):
    secret = link.split("/")[2]
    last = "A" if secret[-1] != "A" else "B"
    return f"/my-comments/{secret[:-1]}{last}/"


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(_tampered, id="tampered"),
        pytest.param(lambda link: "/my-comments/" + "x" * 43 + "/", id="unknown"),
        pytest.param(lambda link: link.rstrip("/") + "x/", id="lengthened"),
        pytest.param(lambda link: "/my-comments/" + "a" * 200 + "/", id="too-long"),
        pytest.param(
            lambda link: f"/my-comments/{PersonalDataLink.objects.get().secret_hash}/",
            id="the-stored-hash",
        ),
    ],
)
def test_a_link_tampered_with_or_unknown_does_not_work(people, make_bad):
    link = link_for("rosa@example.net")
    bad = make_bad(link)
    assert bad != link
    before = snapshot()
    visitor = browser()
    for url in (bad, bad + "data.json", bad + "erase/"):
        response = visitor.get(url)
        assert response.status_code == 404, url
        assert INVALID in response.content.decode()
        assert "rosa" not in response.content.decode().lower()
    token = csrf_token(visitor.get("/my-comments/").content.decode())
    response = visitor.post(
        bad + "erase/", {"texts": "remove", "confirm": "on", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 404
    assert snapshot() == before
    assert Client().get(link).status_code == 200


@pytest.mark.parametrize(("hours", "works"), [(23.9, True), (24.01, False), (72, False)])
def test_a_link_works_for_its_hours_only(people, hours, works):
    link = link_for("rosa@example.net")
    page = browser()
    token = csrf_token(page.get(link + "erase/").content.decode())
    PersonalDataLink.objects.update(created_at=F("created_at") - datetime.timedelta(hours=hours))
    expected = 200 if works else 404
    for url in (link, link + "data.json", link + "erase/"):
        response = Client().get(url)
        assert response.status_code == expected, url
        if not works:
            assert INVALID in response.content.decode()
    if not works:
        before = snapshot()
        response = page.post(
            link + "erase/", {"texts": "keep", "confirm": "on", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 404
        assert snapshot() == before


def test_the_link_hours_follow_the_setting(people, settings):
    settings.COLLOQUY_PERSONAL_DATA_LINK_HOURS = 2
    response = ask("rosa@example.net")
    assert "works for 2 hours" in response.content.decode()
    link = mailed_link(mail.outbox[-1])
    assert "2 hours" in mail.outbox[-1].body
    PersonalDataLink.objects.update(created_at=F("created_at") - datetime.timedelta(hours=3))
    assert Client().get(link).status_code == 404


def test_a_link_replayed_after_the_erasure_does_not_work(people, paper):
    first = link_for("rosa@example.net")
    second = link_for("ROSA@example.net")
    page = browser()
    token = csrf_token(page.get(first + "erase/").content.decode())
    assert erase_through(browser(), second + "erase/", "keep").status_code == 200
    # Rosa comments again, with the same address: no old link reaches the new comment.
    again = make_comment(paper, email="rosa@example.net", name="Rosa Q.", body="I am back.")
    for link in (first, second):
        for url in (link, link + "data.json", link + "erase/"):
            assert Client().get(url).status_code == 404, url
    response = page.post(
        first + "erase/", {"texts": "remove", "confirm": "on", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 404
    assert comment_fields(again)["name"] == "Rosa Q."
    assert read(Client(), link_for("rosa@example.net")) is not None
    assert listed(read(Client(), mailed_link(mail.outbox[-1]))) == [again.pk]


# Signed in


@pytest.mark.parametrize(
    "url",
    ["/me/comments/", "/me/comments/data.json", "/me/comments/erase/", "/me/delete-account/"],
)
def test_the_account_pages_send_a_visitor_not_signed_in_to_log_in(people, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert url in response["Location"].replace("%2F", "/")
    before = snapshot()
    response = Client().post(url, {"texts": "remove", "confirm": "on", "password": PASSWORD})
    assert response.status_code == 302
    assert snapshot() == before


def test_the_signed_in_page_and_export_are_the_accounts_comments(people, paper):
    ines = people["ines"]
    other_address = make_comment(
        paper, user=ines, email="ines.work@example.com", body="From her work address."
    )
    person = make_person("Ines Albrecht", user=ines, affiliation="Harbour Institute")
    written = make_paper(title="Daughters of the lamp", authors=[person])
    signed_in = browser()
    signed_in.force_login(ines)
    soup = read(signed_in, "/me/comments/")
    assert listed(soup) == [people["ines_comment"].pk, other_address.pk]
    assert "The comments made from your account: 2." in soup.get_text(" ", strip=True)
    assert soup.find("a", href="/me/comments/data.json") is not None
    assert soup.find("a", href="/me/delete-account/") is not None
    assert "Rosa" not in soup.get_text()

    data = export(signed_in, "/me/comments/data.json")
    assert [c["id"] for c in data["comments"]] == [people["ines_comment"].pk, other_address.pk]
    assert data["comments"][1]["email"] == "ines.work@example.com"
    assert data["account"]["username"] == "ines"
    assert data["account"]["email"] == "ines@example.org"
    assert data["account"]["author_profile"]["display_name"] == "Ines Albrecht"
    assert data["account"]["author_profile"]["affiliation"] == "Harbour Institute"
    assert data["account"]["author_profile"]["papers"] == [written.title]
    text = json.dumps(data)
    assert "rosa" not in text.lower() and "tomas" not in text.lower()


def test_signed_in_erasure_keeps_the_texts_without_the_account(people, paper):
    ines = people["ines"]
    comment = people["ines_comment"]
    signed_in = browser()
    signed_in.force_login(ines)
    anonymous_page(paper)
    response = erase_through(signed_in, "/me/comments/erase/", "keep")
    assert response.status_code == 200
    assert "1 comment erased" in response.content.decode()
    assert "The link you used" not in response.content.decode()
    fields = comment_fields(comment)
    assert (fields["name"], fields["email"], fields["user"]) == ("Anonymous", "", None)
    assert fields["body"] == "Ines writes about the keepers' daughters."
    li = item(anonymous_page(paper), comment)
    assert li.select_one(".comment-author").get_text(strip=True) == "Anonymous"
    assert listed(read(signed_in, "/me/comments/")) == []
    assert get_user_model().objects.filter(pk=ines.pk).exists()


def test_deleting_the_account_asks_the_password(people, paper):
    ines = people["ines"]
    person = make_person("Ines Albrecht", user=ines)
    written = make_paper(title="Daughters of the lamp", authors=[person])
    signed_in = browser()
    signed_in.force_login(ines)
    page = signed_in.get("/me/delete-account/")
    assert page.status_code == 200
    token = csrf_token(page.content.decode())
    before = snapshot()
    response = signed_in.post(
        "/me/delete-account/",
        {
            "texts": "remove",
            "confirm": "on",
            "password": "wrong horse",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find("input", attrs={"name": "password"})
    assert field is not None
    holder = field.find_parent(id="div_id_password")
    assert holder is not None, "the password field has no container of its own"
    assert "That is not your password." in holder.get_text()
    assert field.get("value") in (None, ""), "the typed password is sent back"
    assert snapshot() == before
    assert read(signed_in, "/me/comments/") is not None  # still signed in

    response = signed_in.post(
        "/me/delete-account/",
        {"texts": "keep", "confirm": "on", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
    assert not get_user_model().objects.filter(pk=ines.pk).exists()
    person.refresh_from_db()
    assert person.user is None
    assert Person.objects.filter(pk=person.pk, display_name="Ines Albrecht").exists()
    assert "Ines Albrecht" in read(Client(), written.get_absolute_url()).get_text()
    fields = comment_fields(people["ines_comment"])
    assert (fields["name"], fields["email"], fields["user"]) == ("Anonymous", "", None)
    assert fields["body"] == "Ines writes about the keepers' daughters."
    # Signed out: the account's pages ask to log in.
    assert signed_in.get("/me/comments/").status_code == 302
    assert not signed_in.login(username="ines", password=PASSWORD)
    # Others keep theirs.
    assert comment_fields(people["rosa_first"])["email"] == "rosa@example.net"


def test_deleting_the_account_removing_texts_keeps_replies_in_place(paper):
    user = make_user("ines")
    mine = make_comment(paper, user=user, body="Ines on the light's colour.")
    reply = make_comment(paper, parent=mine, email="kai@example.net", body="Kai replies here.")
    lone = make_comment(paper, user=user, body="Ines on the light's range.")
    signed_in = browser()
    signed_in.force_login(user)
    token = csrf_token(signed_in.get("/me/delete-account/").content.decode())
    response = signed_in.post(
        "/me/delete-account/",
        {"texts": "remove", "confirm": "on", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert Comment.objects.get(pk=mine.pk).status == Status.DELETED
    assert not Comment.objects.filter(pk=lone.pk).exists()
    soup = anonymous_page(paper)
    assert item(soup, mine).find("article").get_text(" ", strip=True) == DELETED
    assert item(item(soup, mine), reply) is not None
    paper.refresh_from_db()
    assert paper.comment_count == 1


# The admin


def run_action(client, action, comments, **data):
    """Choose an action for these comments on the comments changelist, as its form sends it."""
    selected = [comment.pk for comment in comments]
    form = {"action": action, "_selected_action": selected, "index": 0, **data}
    return client.post("/admin/comments/comment/", form)


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(make_user("root", superuser=True, email="root@example.com"))
    return client


def test_admin_export_gives_the_data_of_the_selected_comments_posters(people, superuser_client):
    response = run_action(
        superuser_client,
        "export_personal_data",
        [people["rosa_reply"], people["rosa_held"], people["tomas_first"]],
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    data = json.loads(response.content)
    assert sorted(person["email"] for person in data) == ["rosa@example.net", "tomas@example.org"]
    by_email = {person["email"]: person for person in data}
    assert [c["id"] for c in by_email["rosa@example.net"]["comments"]] == [
        c.pk for c in people["rosa"]
    ]
    assert sorted(c["id"] for c in by_email["tomas@example.org"]["comments"]) == sorted(
        c.pk for c in people["tomas"]
    )
    assert by_email["tomas@example.org"]["comments"][1]["earlier_texts"] == [
        "Keepers' wages were paid in oil and candles."
    ]
    assert "rosa" not in json.dumps(by_email["tomas@example.org"]).lower()


def test_admin_export_of_a_signed_in_posters_comment_holds_their_account(people, superuser_client):
    response = run_action(superuser_client, "export_personal_data", [people["ines_comment"]])
    data = json.loads(response.content)
    assert len(data) == 1
    assert data[0]["account"]["username"] == "ines"
    assert [c["id"] for c in data[0]["comments"]] == [people["ines_comment"].pk]


def test_admin_erase_asks_first_then_erases(people, paper, superuser_client):
    chosen = [people["rosa_reply"], people["tomas_reply"]]
    before = snapshot()
    response = run_action(superuser_client, "erase_personal_data", chosen)
    assert response.status_code == 200
    assert snapshot() == before
    soup = BeautifulSoup(response.content, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "rosa@example.net" in text and "tomas@example.org" in text
    form = soup.find("input", attrs={"name": "post"}).find_parent("form")
    assert {i["value"] for i in form.find_all("input", attrs={"name": "texts"})} == {
        "keep",
        "remove",
    }
    hidden = {(i["name"], i["value"]) for i in form.find_all("input", attrs={"type": "hidden"})}
    assert ("post", "yes") in hidden and ("action", "erase_personal_data") in hidden
    assert {v for n, v in hidden if n == "_selected_action"} == {str(c.pk) for c in chosen}

    # Without a choice, it asks again.
    response = run_action(superuser_client, "erase_personal_data", chosen, post="yes")
    assert response.status_code == 200
    assert snapshot() == before

    anonymous_page(paper)
    response = run_action(superuser_client, "erase_personal_data", chosen, post="yes", texts="keep")
    assert response.status_code == 302
    messages = superuser_client.get(response["Location"]).content.decode()
    assert "The personal data of 2 people erased: 6 comments." in messages
    for comment in [*people["rosa"], *people["tomas"]]:
        fields = comment_fields(comment)
        assert (fields["name"], fields["email"], fields["website"]) == ("Anonymous", "", "")
        assert earlier_texts(comment) == []
    assert comment_fields(people["ines_comment"])["name"] == "Ines Albrecht"
    soup = anonymous_page(paper)
    assert (
        item(soup, people["tomas_first"]).select_one(".comment-author").get_text(strip=True)
        == "Anonymous"
    )
    for url, page in public_pages(paper, "candles").items():
        assert not EMAIL_LIKE.search(page), url
        assert "Tomás Ferreira" not in page and "Rosa Quintero" not in page, url


def test_admin_erase_removing_texts(people, paper, superuser_client):
    response = run_action(
        superuser_client,
        "erase_personal_data",
        [people["rosa_held"]],
        post="yes",
        texts="remove",
    )
    assert response.status_code == 302
    assert Comment.objects.get(pk=people["rosa_first"].pk).status == Status.DELETED
    for gone in people["rosa"][1:]:
        assert not Comment.objects.filter(pk=gone.pk).exists()
    paper.refresh_from_db()
    assert paper.comment_count == 3
    event = ModerationEvent.objects.get(
        comment_id=people["rosa_first"].pk, to_status=Status.DELETED
    )
    assert event.actor.username == "root"


def test_admin_erase_is_refused_to_staff_without_the_delete_permission(people):
    staff = make_user(staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client = Client()
    client.force_login(staff)
    before = snapshot()
    for data in ({}, {"post": "yes", "texts": "remove"}):
        response = run_action(client, "erase_personal_data", [people["rosa_first"]], **data)
        assert response.status_code == 302
        assert "No action selected." in client.get(response["Location"]).content.decode()
    assert snapshot() == before
    # Export needs only the change permission.
    response = run_action(client, "export_personal_data", [people["rosa_first"]])
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_admin_erase_from_the_moderation_queue(people, superuser_client):
    held = people["rosa_held"]
    changelist = "/admin/comments/pendingcomment/"
    form = {"action": "erase_personal_data", "_selected_action": [held.pk], "index": 0}
    asked = superuser_client.post(changelist, form)
    assert asked.status_code == 200
    assert "rosa@example.net" in asked.content.decode()
    response = superuser_client.post(changelist, {**form, "post": "yes", "texts": "keep"})
    assert response.status_code == 302
    for comment in people["rosa"]:
        assert comment_fields(comment)["email"] == ""
    assert comment_fields(people["tomas_first"])["email"] == "tomas@example.org"


def test_a_moderator_may_erase(people):
    moderator = make_user(staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(moderator)
    response = run_action(
        client, "erase_personal_data", [people["rosa_first"]], post="yes", texts="keep"
    )
    assert response.status_code == 302
    assert comment_fields(people["rosa_first"])["name"] == "Anonymous"


# The cached page follows at once


def test_the_cached_page_follows_an_erasure_at_once(people, paper):
    anonymous_page(paper)
    with CaptureQueriesContext(connection) as queries:
        cached = anonymous_page(paper)
    assert len(queries) == 0, "the anonymous page was not served from the page cache"
    assert "Rosa Quintero" in str(cached)
    erase_through(browser(), link_for("rosa@example.net") + "erase/", "keep")
    assert "Rosa Quintero" not in str(anonymous_page(paper))


def test_an_authors_erased_comment_loses_the_author_badge(paper):
    user = make_user("ines", first_name="Ines", last_name="Albrecht")
    person = make_person("Ines Albrecht", user=user)
    own_paper = make_paper(title="Daughters of the lamp", authors=[person])
    comment = make_comment(own_paper, user=user, body="The author answers her readers.")
    assert comment.by_paper_author
    li = item(anonymous_page(own_paper), comment)
    assert "by-author" in li["class"]
    signed_in = browser()
    signed_in.force_login(user)
    assert erase_through(signed_in, "/me/comments/erase/", "keep").status_code == 200
    li = item(anonymous_page(own_paper), comment)
    assert "by-author" not in li["class"]
    assert li.find(class_="author-badge") is None
    assert li.select_one(".comment-author").get_text(strip=True) == "Anonymous"
    assert "The author answers her readers." in li.get_text()


def test_an_erasure_renames_the_comments_in_the_admin_log(paper):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from comments.personal_data import erase
    from comments.services import ERASED_IN_LOG

    comment = make_comment(paper, name="Rosa Quintero", email="rosa@example.net", body="Fog.")
    other = make_comment(paper, name="Tomás Ruiz", email="tomas@example.net", body="Wind.")
    admin = make_user(staff=True, superuser=True)
    for each in (comment, other):
        LogEntry.objects.log_actions(admin.pk, [each], CHANGE, change_message="edited")
    erase(email="rosa@example.net", remove_texts=False)
    logged = dict(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment)
        ).values_list("object_id", "object_repr")
    )
    assert logged[str(comment.pk)] == ERASED_IN_LOG
    assert "Tomás Ruiz" in logged[str(other.pk)]
    assert not any("Rosa" in text or "Fog" in text for text in logged.values())


def test_the_admin_takes_an_account_once_whatever_addresses_it_had(paper):
    rosa = make_user("rosa", email="rosa@example.net")
    first = make_comment(paper, user=rosa, body="From the account.")
    Comment.objects.filter(pk=first.pk).update(email="old.rosa@example.net")
    make_comment(paper, user=rosa, body="From the account again.")
    guest = make_comment(paper, email="guest@example.net", body="A guest.")
    admin = Client()
    admin.force_login(make_user(staff=True, superuser=True))
    response = admin.post(
        "/admin/comments/comment/",
        {
            "action": "export_personal_data",
            "_selected_action": list(Comment.objects.values_list("pk", flat=True)),
        },
    )
    people = json.loads(response.content)
    assert len(people) == 2
    by_account = [person for person in people if "account" in person]
    assert len(by_account) == 1 and len(by_account[0]["comments"]) == 2
    (guest_data,) = [person for person in people if "account" not in person]
    assert [c["id"] for c in guest_data["comments"]] == [guest.pk]
