"""Submitting a paper while an edition's call for papers is open: the Markdown editor or a
file, a preview that writes nothing, co-authors invited, and who may see what."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from authoring.documents import TEMPLATE
from authoring.models import Submission
from papers.models import Paper, Person
from tests.authoring.conftest import PAPER
from tests.factories import make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db


def submit_url(edition):
    return reverse("authoring:submit", args=[edition.slug])


def form_data(stream, **fields):
    return {
        "stream": stream.pk,
        "authors": "Ada Lovelace <ada@example.org>",
        "document": PAPER,
        "send": "1",
        **fields,
    }


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_the_form_is_prefilled_with_the_author_and_a_template(author_client, edition, stream):
    response = author_client.get(submit_url(edition))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace &lt;ada@example.org&gt;" in html
    assert "title: The title of your paper" in html
    assert f'<option value="{stream.pk}">Communities</option>' in html
    assert " style=" not in html and "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site.js" defer>']


def test_a_paper_is_submitted_as_a_draft_with_its_submission(
    settings, author_client, author, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(submit_url(edition), form_data(stream))
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == submission.get_absolute_url()
    paper = submission.paper
    assert paper.status == Paper.Status.DRAFT
    assert (paper.edition, paper.stream) == (edition, stream)
    assert paper.title == "Care work keeps open source alive"
    assert paper.slug == "care-work-keeps-open-source-alive"
    assert paper.author_list == [author]
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Method"]
    assert paper.references.count() == 1
    assert submission.state == Submission.State.SUBMITTED
    assert submission.submitted_by == author.user and submission.document == PAPER
    (mail,) = mailoutbox
    assert mail.to == ["ada@example.org"]
    assert mail.subject == "Received: “Care work keeps open source alive”"
    assert f"{settings.COLLOQUY_SITE_URL}{submission.get_absolute_url()}" in mail.body
    # Drafts are for staff: the public page is not there yet.
    assert author_client.get(paper.get_absolute_url()).status_code == 404
    page = author_client.get(submission.get_absolute_url()).content.decode()
    assert "Submitted" in page and "Care work keeps open source alive" in page
    assert "We asked them." in page


def test_the_texts_own_edition_stream_authors_and_status_are_not_used(
    author_client, author, edition, stream
):
    other = make_stream(name="Elsewhere", slug="elsewhere")
    text = PAPER.replace(
        "---\n\n## Introduction",
        f"edition: {other.edition.slug}\nstream: elsewhere\nstatus: published\n"
        "authors:\n  - name: Somebody Else\n    email: else@example.org\nslug: mine\n"
        "---\n\n## Introduction",
    )
    response = author_client.post(submit_url(edition), form_data(stream, document=text))
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.edition, paper.stream, paper.status) == (edition, stream, Paper.Status.DRAFT)
    assert paper.slug == "care-work-keeps-open-source-alive"
    assert paper.author_list == [author]
    assert not Person.objects.filter(display_name="Somebody Else").exists()


def test_a_title_taken_in_the_edition_gets_another_address(author_client, edition, stream):
    taken = make_paper(stream=stream, slug="care-work-keeps-open-source-alive", title="Taken")
    assert author_client.post(submit_url(edition), form_data(stream)).status_code == 302
    taken.refresh_from_db()
    assert taken.title == "Taken"  # not overwritten
    assert Submission.objects.get().paper.slug == "care-work-keeps-open-source-alive-2"


def test_a_paper_with_a_problem_comes_back_with_its_line_and_everything_typed(
    author_client, edition, stream
):
    text = PAPER.replace("## Method\n\nWe asked them.\n", "## Method\n\n")
    response = author_client.post(
        submit_url(edition),
        form_data(
            stream, document=text, authors="Ada Lovelace <ada@example.org>\nBob <bob@example.org>"
        ),
    )
    assert response.status_code == 200
    line = text.splitlines().index("## Method") + 1
    assert field_errors(response, "document") == [f"Line {line}: section 'Method' is empty"]
    html = response.content.decode()
    assert "Bob &lt;bob@example.org&gt;" in html and "Care work keeps open source alive" in html
    assert not Paper.objects.exists() and not Person.objects.filter(display_name="Bob").exists()


def test_a_problem_in_the_front_matter_names_the_authors_own_line(author_client, edition, stream):
    text = PAPER.replace("thesis: Maintainers'", "thesis: [Maintainers'")
    response = author_client.post(submit_url(edition), form_data(stream, document=text))
    (error,) = field_errors(response, "document")
    # Where YAML found the problem, and where the list it was reading starts.
    assert error.startswith("Line 4: the front matter is not valid YAML"), error
    assert error.endswith("while parsing a flow sequence that starts on line 3")
    no_title = PAPER.replace("title: Care work keeps open source alive\n", "")
    response = author_client.post(submit_url(edition), form_data(stream, document=no_title))
    assert field_errors(response, "document") == ["Line 4: front matter is missing: title"]


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ("Bob <bob@example.org>", "You must be one of the authors"),
        ("Ada Lovelace <ada@example.org>\nBob", "Line 2: Bob has no e-mail address"),
        ("Ada Lovelace <ada@example.org>\nBob <not an address>", "Line 2: not an address is not"),
        (
            "Ada Lovelace <ada@example.org>\nBob <ADA@example.org>",
            "Line 2: ada@example.org is listed twice",
        ),
        ("", "This field is required."),
    ],
)
def test_the_authors_are_checked(author_client, edition, stream, authors, message):
    response = author_client.post(submit_url(edition), form_data(stream, authors=authors))
    assert response.status_code == 200
    assert any(error.startswith(message) for error in field_errors(response, "authors")), (
        field_errors(response, "authors")
    )
    assert not Paper.objects.exists()


def test_a_markdown_file_can_be_uploaded(author_client, edition, stream):
    upload = io.BytesIO(("\ufeff" + PAPER).encode())
    upload.name = "paper.md"
    data = form_data(stream, document="", document_file=upload)
    assert author_client.post(submit_url(edition), data).status_code == 302
    assert Paper.objects.get().title == "Care work keeps open source alive"


def test_a_file_that_is_not_utf8_is_refused_next_to_its_field(author_client, edition, stream):
    upload = io.BytesIO("---\ntitle: Caf\u00e9\n".encode("latin-1"))
    upload.name = "paper.md"
    response = author_client.post(
        submit_url(edition), form_data(stream, document="", document_file=upload)
    )
    assert response.status_code == 200
    (error,) = field_errors(response, "document_file")
    assert error.startswith("This file cannot be used: line 2: the file is not UTF-8 text")
    assert 'id="error_1_id_document_file"' in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(author_client, edition, stream, monkeypatch):
    monkeypatch.setattr("authoring.forms.PAPER_MAX_BYTES", 100)
    upload = io.BytesIO(PAPER.encode())
    upload.name = "paper.md"
    response = author_client.post(
        submit_url(edition), form_data(stream, document="", document_file=upload)
    )
    assert field_errors(response, "document_file") == ["This file is larger than 1 kB."]
    assert not Paper.objects.exists()


def test_an_empty_paper_is_refused(author_client, edition, stream):
    response = author_client.post(submit_url(edition), form_data(stream, document="  \n"))
    assert field_errors(response, "document") == [
        "Please write your paper here, or upload its file."
    ]


def test_a_stream_of_another_edition_is_refused(author_client, edition, stream):
    other = make_stream(name="Elsewhere", slug="elsewhere")
    response = author_client.post(submit_url(edition), form_data(other))
    assert field_errors(response, "stream")
    assert not Paper.objects.exists()


# --- preview --------------------------------------------------------------------------------


def test_preview_shows_the_paper_as_readers_will_and_writes_nothing(
    author_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks, media
):
    counts = (Paper.objects.count(), Person.objects.count(), get_user_model().objects.count())
    data = form_data(
        stream,
        authors="Ada Lovelace <ada@example.org>\nBob Babbage <bob@example.org>",
        preview="1",
    )
    del data["send"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = author_client.post(submit_url(edition), data)
    assert response.status_code == 200
    html = response.content.decode()
    preview = html.split('<section class="preview"', 1)[1].split("</section>\n", 1)[0]
    assert '<h1 id="paper-title">Care work keeps open source alive</h1>' in html
    assert "Bob Babbage" in preview and "Ada Lovelace" in preview
    assert "<h2>Thesis</h2>" in html
    assert 'id="bibliography"' in html
    assert "https://doi.org/10.1017/S2045796015001067" in html
    assert "Draft" not in preview
    # The form is still there, with what was typed.
    assert "Bob Babbage &lt;bob@example.org&gt;" in html
    assert (Paper.objects.count(), Person.objects.count(), get_user_model().objects.count()) == (
        counts
    )
    assert not Submission.objects.exists()
    assert callbacks == [] and mailoutbox == []
    assert not media.exists()
    assert " style=" not in html and "<style" not in html


def test_preview_of_a_paper_with_a_problem_shows_the_problem(author_client, edition, stream):
    data = form_data(
        stream,
        document=PAPER.replace("## Introduction", "Stray text\n\n## Introduction"),
        preview="1",
    )
    del data["send"]
    response = author_client.post(submit_url(edition), data)
    assert response.status_code == 200
    assert field_errors(response, "document") == ["Line 6: text before the first '## ' heading"]
    assert response.context["preview"] is None


# --- the call's dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "says"),
    [
        (1, 10, "open on"),
        (-10, -1, "closed at the end of"),
        (None, None, "has no call for papers"),
    ],
)
def test_no_submission_outside_the_call(author_client, edition, stream, opens, closes, says):
    today = timezone.localdate()
    edition.call_opens_on = opens and today + datetime.timedelta(days=opens)
    edition.call_closes_on = closes and today + datetime.timedelta(days=closes)
    edition.save()
    for response in (
        author_client.get(submit_url(edition)),
        author_client.post(submit_url(edition), form_data(stream)),
    ):
        assert response.status_code == 403
        html = response.content.decode()
        assert f"The call for papers of {edition.name} is not open" in html
        assert says in html
    assert not Paper.objects.exists()


def test_the_first_and_last_days_of_the_call_are_open(author_client, edition, stream):
    today = timezone.localdate()
    edition.call_opens_on = edition.call_closes_on = today
    edition.save()
    assert author_client.get(submit_url(edition)).status_code == 200
    assert author_client.post(submit_url(edition), form_data(stream)).status_code == 302


def test_my_papers_lists_open_and_coming_calls(author_client, edition):
    html = author_client.get(reverse("authoring:papers")).content.decode()
    assert f'href="{submit_url(edition)}">Submit a paper to Colloquy 2027</a>' in html


# --- who submits ----------------------------------------------------------------------------


def test_a_reader_without_an_author_page_submits_and_gets_one(client, edition, stream):
    reader = make_user("reader", email="reader@example.org", first_name="Rita", last_name="Reads")
    client.force_login(reader)
    assert (
        "Rita Reads &lt;reader@example.org&gt;" in client.get(submit_url(edition)).content.decode()
    )
    response = client.post(
        submit_url(edition), form_data(stream, authors="Rita Reads <reader@example.org>")
    )
    assert response.status_code == 302
    person = Person.objects.get(user=reader)
    assert person.display_name == "Rita Reads"
    assert Paper.objects.get().author_list == [person]


def test_a_namesake_of_the_submitter_is_not_taken_for_them(client, edition, stream):
    namesake = make_person("Rita Reads")
    reader = make_user("reader", email="reader@example.org")
    client.force_login(reader)
    client.post(submit_url(edition), form_data(stream, authors="Rita Reads <reader@example.org>"))
    (person,) = Paper.objects.get().author_list
    assert person != namesake and person.user == reader


def test_an_account_without_an_email_address_is_told_why_it_cannot_submit(client, edition, stream):
    client.force_login(make_user("noaddress", email=""))
    response = client.get(submit_url(edition))
    assert response.status_code == 403
    assert "Your account has no e-mail address" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, edition, stream):
    for url in (submit_url(edition), reverse("authoring:papers")):
        for response in (client.get(url), client.post(url, form_data(stream))):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Paper.objects.exists()


# --- co-authors -----------------------------------------------------------------------------


def test_a_co_author_gets_an_account_and_an_invitation(
    author_client, author, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    authors = "Bob Babbage <bob@example.org>\nAda Lovelace <ada@example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(submit_url(edition), form_data(stream, authors=authors))
    assert response.status_code == 302
    paper = Paper.objects.get()
    bob, ada = paper.author_list
    assert ada == author and bob.display_name == "Bob Babbage"
    assert bob.user.email == "bob@example.org" and not bob.user.has_usable_password()
    received = "Received: “Care work keeps open source alive”"
    assert [m.subject for m in mailoutbox if m.to == ["ada@example.org"]] == [received]
    to_bob = [m for m in mailoutbox if m.to == ["bob@example.org"]]
    assert len(to_bob) == 2 and received in [m.subject for m in to_bob]
    (invitation,) = [m for m in to_bob if "/accounts/invitation/" in m.body]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", invitation.body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    answer = author_client.get("/" + path, follow=True)
    assert answer.status_code == 200 and "password" in answer.content.decode().lower()


def test_a_co_author_is_found_by_address_never_by_name(
    author_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    """Typing an author's name with another address must not reach their account."""
    famous = make_person("Grace Hopper", user=make_user("grace", email=""))
    authors = "Ada Lovelace <ada@example.org>\nGrace Hopper <mallory@example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(submit_url(edition), form_data(stream, authors=authors))
    famous.user.refresh_from_db()
    assert famous.user.email == ""
    _, grace = Paper.objects.get().author_list
    assert grace != famous and grace.user.email == "mallory@example.org"
    assert famous.user.email not in [m.to[0] for m in mailoutbox]


def test_a_co_author_with_an_account_is_that_account_and_is_not_invited_again(
    author_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    bob = make_person("Bob Babbage", user=make_user("bob", email="bob@example.org"))
    bob.user.last_login = timezone.now()
    bob.user.save()
    authors = "Ada Lovelace <ada@example.org>\nRobert B. <BOB@example.org>"
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(submit_url(edition), form_data(stream, authors=authors))
    assert Paper.objects.get().author_list[1] == bob
    assert [m.subject for m in mailoutbox if m.to == ["bob@example.org"]] == [
        "Received: “Care work keeps open source alive”"
    ]


# --- who sees what --------------------------------------------------------------------------


@pytest.fixture
def submission(author_client, edition, stream):
    author_client.post(submit_url(edition), form_data(stream))
    return Submission.objects.get()


def test_someone_else_cannot_see_or_change_a_submission(client, submission, stream):
    client.force_login(make_user("mallory", email="mallory@example.org"))
    make_person("Mallory", user=get_user_model().objects.get(username="mallory"))
    edit = reverse("authoring:submission_edit", args=[submission.pk])
    assert client.get(submission.get_absolute_url()).status_code == 404
    assert client.get(edit).status_code == 404
    assert (
        client.post(edit, form_data(stream, authors="Mallory <mallory@example.org>")).status_code
        == 404
    )
    assert "Care work" not in client.get(reverse("authoring:papers")).content.decode()


def test_anonymous_visitors_cannot_see_a_submission(client, submission):
    client.logout()
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_submitted_paper_cannot_be_changed_until_it_is_returned(
    author_client, submission, stream
):
    edit = reverse("authoring:submission_edit", args=[submission.pk])
    response = author_client.post(
        edit, form_data(stream, document=PAPER.replace("We asked", "We begged"))
    )
    assert response.status_code == 403
    assert "This submission cannot be changed now" in response.content.decode()
    assert "We asked them." in submission.paper.sections.get(heading="Method").body


def test_staff_see_every_submission(staff_client, submission):
    assert staff_client.get(submission.get_absolute_url()).status_code == 200


def test_the_template_the_form_starts_with_is_a_paper(author_client, edition, stream):
    data = form_data(stream, document=TEMPLATE, preview="1")
    del data["send"]
    response = author_client.post(submit_url(edition), data)
    assert response.context["form"].errors == {}
    assert '<h1 id="paper-title">The title of your paper</h1>' in response.content.decode()


def test_the_lines_of_a_list_of_authors_in_the_text_do_not_shift_the_line_numbers(
    author_client, edition, stream
):
    text = PAPER.replace(
        "title: Care work",
        "authors:\n  - name: Somebody\n    email: some@example.org\n  - Other\ntitle: Care work",
    ).replace("## Method\n\nWe asked them.\n", "## Method\n\n")
    response = author_client.post(submit_url(edition), form_data(stream, document=text))
    line = text.splitlines().index("## Method") + 1
    assert field_errors(response, "document") == [f"Line {line}: section 'Method' is empty"]
    fixed = text.replace("## Method\n\n", "## Method\n\nWe asked them.\n")
    assert (
        author_client.post(submit_url(edition), form_data(stream, document=fixed)).status_code
        == 302
    )
    assert [p.display_name for p in Paper.objects.get().author_list] == ["Ada Lovelace"]


def test_a_hostile_paper_is_previewed_sanitised(author_client, edition, stream):
    text = PAPER.replace(
        "title: Care work keeps open source alive", 'title: "<script>alert(1)</script> Care"'
    ).replace(
        "We asked them.",
        '<script>alert(2)</script><img src="https://evil.example/x.png" onerror="alert(3)">'
        '<a href="javascript:alert(4)">link</a><p style="color:red">styled</p>',
    )
    data = form_data(stream, document=text, preview="1")
    del data["send"]
    html = author_client.post(submit_url(edition), data).content.decode()
    preview = html.split('<section class="preview"', 1)[1].split('<form method="post"', 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Care" in preview
    for hostile in ("<script", "evil.example", "onerror", "javascript:", "style="):
        assert hostile not in preview, hostile


def test_the_same_paper_sent_twice_is_one_submission(
    author_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = author_client.post(submit_url(edition), form_data(stream))
        second = author_client.post(submit_url(edition), form_data(stream))
    submission = Submission.objects.get()
    assert first["Location"] == second["Location"] == submission.get_absolute_url()
    assert Paper.objects.count() == 1 and len(mailoutbox) == 1
    changed = PAPER.replace("We asked them.", "We asked more of them.")
    author_client.post(submit_url(edition), form_data(stream, document=changed))
    assert Submission.objects.count() == 2  # another text is another paper


def test_the_emails_are_signed_with_the_sites_name(
    settings, author_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COLLOQUY_SITE_NAME = "Sociology Days"
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(submit_url(edition), form_data(stream))
    (mail,) = mailoutbox
    assert mail.body.rstrip().endswith("\n\nSociology Days")
    assert mail.body.startswith("Dear Ada Lovelace,\n")
