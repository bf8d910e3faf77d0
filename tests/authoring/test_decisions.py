"""The organisers decide in the admin (publish; return with a note; decline), the authors are
e-mailed each step, see where their papers stand on /me/papers/, and change and send again
a paper returned to them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from authoring.models import Submission, SubmissionEvent
from papers.models import Paper
from tests.authoring.conftest import PAPER
from tests.factories import make_paper, make_person, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:authoring_submission_changelist")
MY_PAPERS = reverse("authoring:papers")
TITLE = "Care work keeps open source alive"


def submit(client, edition, stream, authors="Ada Lovelace <ada@example.org>", text=PAPER):
    data = {"stream": stream.pk, "authors": authors, "document": text, "send": "1"}
    response = client.post(reverse("authoring:submit", args=[edition.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    return Submission.objects.get(paper__title=text.split("title: ", 1)[1].split("\n", 1)[0])


def act(client, action, submission, **fields):
    data = {"action": action, ACTION_CHECKBOX_NAME: [submission.pk], **fields}
    return client.post(CHANGELIST, data)


def subjects(mailoutbox):
    return [(mail.to[0], mail.subject) for mail in mailoutbox]


def test_a_submission_from_form_to_published_with_every_email(
    settings,
    author_client,
    author,
    staff_client,
    edition,
    stream,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(author_client, edition, stream)
    assert subjects(mailoutbox) == [("ada@example.org", f"Received: “{TITLE}”")]
    assert "has reached the organisers" in mailoutbox[0].body

    # The organisers see it in the admin's list.
    listing = staff_client.get(CHANGELIST + "?state__exact=submitted").content.decode()
    assert TITLE in listing and "Colloquy 2027" in listing and "Ada Lovelace" in listing
    page = staff_client.get(reverse("admin:authoring_submission_change", args=[submission.pk]))
    assert submission.paper.get_absolute_url() in page.content.decode()

    # Returned with a note: the action asks for the note first.
    asked = act(staff_client, "return_to_authors", submission)
    assert asked.status_code == 200 and "Note to the authors" in asked.content.decode()
    asked_page = asked.content.decode()
    assert '<input type="hidden" name="action" value="return_to_authors">' in asked_page
    assert '<input type="hidden" name="post" value="yes">' in asked_page
    assert '<input type="submit" value="Return to the authors" class="default">' in asked_page
    refused = act(staff_client, "return_to_authors", submission, post="yes", note="")
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    note = "Please say who 'them' is in the Method section."
    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "return_to_authors", submission, post="yes", note=note)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.RETURNED and submission.note == note
    assert submission.decided_by.username == "organiser" and submission.decided_at
    returned = mailoutbox[-1]
    assert (returned.to, returned.subject) == (
        ["ada@example.org"],
        f"Returned to you for changes: “{TITLE}”",
    )
    assert note in returned.body
    assert f"{settings.COLLOQUY_SITE_URL}{submission.get_absolute_url()}" in returned.body

    # The author sees it returned, with the note, and changes it.
    mine = author_client.get(MY_PAPERS).content.decode()
    assert "Returned to the authors" in mine and "say who &#x27;them&#x27; is" in mine
    edit = reverse("authoring:submission_edit", args=[submission.pk])
    form = author_client.get(edit).content.decode()
    assert "We asked them." in form and "Ada Lovelace &lt;ada@example.org&gt;" in form
    changed = PAPER.replace("We asked them.", "We asked forty maintainers.")
    data = {"stream": stream.pk, "authors": "Ada Lovelace <ada@example.org>", "document": changed}
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(edit, {**data, "send": "1"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED and submission.note == ""
    assert submission.document == changed
    assert Paper.objects.get().sections.get(heading="Method").body == "We asked forty maintainers."
    assert mailoutbox[-1].subject == f"Received again: “{TITLE}”"

    # Published: the paper is public, and the author is told where.
    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "publish", submission)
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.status == Paper.Status.PUBLISHED and paper.is_published
    published = mailoutbox[-1]
    assert published.subject == f"Published: “{TITLE}”"
    assert f"{settings.COLLOQUY_SITE_URL}{paper.get_absolute_url()}" in published.body
    author_client.logout()
    assert author_client.get(paper.get_absolute_url()).status_code == 200
    assert subjects(mailoutbox) == [
        ("ada@example.org", f"Received: “{TITLE}”"),
        ("ada@example.org", f"Returned to you for changes: “{TITLE}”"),
        ("ada@example.org", f"Received again: “{TITLE}”"),
        ("ada@example.org", f"Published: “{TITLE}”"),
    ]
    actions = list(SubmissionEvent.objects.values_list("action", flat=True))
    assert actions == ["submitted", "returned", "resubmitted", "published"]


def test_a_declined_paper_stays_a_draft_and_its_authors_are_told(
    author_client, staff_client, edition, stream, mailoutbox, django_capture_on_commit_callbacks
):
    authors = "Ada Lovelace <ada@example.org>\nBob Babbage <bob@example.org>"
    submission = submit(author_client, edition, stream, authors=authors)
    assert act(staff_client, "decline", submission).status_code == 200  # asks for a note
    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "decline", submission, post="yes", note="")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.DECLINED
    assert submission.paper.status == Paper.Status.DRAFT
    assert sorted(subjects(mailoutbox)) == [
        ("ada@example.org", f"Not accepted: “{TITLE}”"),
        ("bob@example.org", f"Not accepted: “{TITLE}”"),
    ]
    assert "Declined" in author_client.get(MY_PAPERS).content.decode()
    # A declined paper is neither changed nor published any more.
    edit = reverse("authoring:submission_edit", args=[submission.pk])
    assert author_client.get(edit).status_code == 403
    act(staff_client, "publish", submission)
    listing = staff_client.get(CHANGELIST).content.decode()
    assert f"“{TITLE}” is declined: it cannot be published now." in listing
    submission.refresh_from_db()
    assert submission.state == Submission.State.DECLINED
    assert submission.paper.status == Paper.Status.DRAFT


def test_my_papers_shows_each_papers_state(author_client, author, staff_client, edition, stream):
    make_paper(stream=stream, authors=[author], title="An old published paper")
    make_paper(stream=stream, authors=[author], title="An imported draft", status="draft")
    make_paper(stream=stream, authors=[make_person()], title="Somebody else's paper")
    titles = {}
    for state in ["Submitted", "Returned", "Declined", "Published"]:
        text = PAPER.replace(TITLE, f"A paper to be {state.lower()}")
        titles[state] = submit(author_client, edition, stream, text=text)
    act(staff_client, "return_to_authors", titles["Returned"], post="yes", note="Shorter, please.")
    act(staff_client, "decline", titles["Declined"], post="yes", note="Out of scope.")
    act(staff_client, "publish", titles["Published"])

    html = author_client.get(MY_PAPERS).content.decode()
    cards = {card.split("</h3>")[0]: card for card in html.split('<li class="paper-card">')[1:]}

    def card(title):
        (found,) = [text for heading, text in cards.items() if title in heading]
        return found

    assert "state-published" in card("An old published paper")
    assert "state-draft" in card("An imported draft")
    assert "state-submitted" in card("A paper to be submitted")
    returned = card("A paper to be returned")
    assert "state-returned" in returned and "Shorter, please." in returned
    assert "Change the paper and send it again" in returned
    assert "state-declined" in card("A paper to be declined") and "Out of scope." in html
    published = card("A paper to be published")
    assert "state-published" in published
    assert Paper.objects.get(title="A paper to be published").get_absolute_url() in published
    assert "Somebody else" not in html


def test_a_user_with_no_papers_sees_an_empty_list(client):
    client.force_login(make_user("reader"))
    response = client.get(MY_PAPERS)
    assert (
        response.status_code == 200 and "You have no papers here yet." in response.content.decode()
    )


def test_a_co_author_may_change_a_returned_paper_and_a_stranger_may_not(
    author_client, staff_client, edition, stream, client
):
    authors = "Ada Lovelace <ada@example.org>\nBob Babbage <bob@example.org>"
    submission = submit(author_client, edition, stream, authors=authors)
    act(staff_client, "return_to_authors", submission, post="yes", note="Fix it.")
    edit = reverse("authoring:submission_edit", args=[submission.pk])
    bob = submission.paper.author_list[1].user
    client.force_login(bob)
    data = {"stream": stream.pk, "authors": authors, "document": PAPER, "send": "1"}
    assert client.post(edit, data).status_code == 302
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert list(submission.events.values_list("by__username", flat=True)) == [
        "ada",
        "organiser",
        bob.username,
    ]


def test_only_staff_decide(author_client, edition, stream):
    submission = submit(author_client, edition, stream)
    response = act(author_client, "publish", submission)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.paper.status == Paper.Status.DRAFT


def test_staff_without_the_change_permission_cannot_decide(client, author_client, edition, stream):
    submission = submit(author_client, edition, stream)
    viewer = make_user("viewer", staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 200
    act(client, "publish", submission)
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


def test_publishing_a_paper_with_citation_problems_warns_the_organiser(
    author_client, staff_client, edition, stream
):
    unmatched = PAPER.replace("(Naslund et al., 2016)", "(Naslund et al., 2016; Okafor, 2019)")
    submission = submit(author_client, edition, stream, text=unmatched)
    response = act(staff_client, "publish", submission)
    assert response.status_code == 302
    shown = [str(m) for m in staff_client.get(CHANGELIST).context["messages"]]
    assert any("Okafor, 2019" in message for message in shown), shown
    assert Paper.objects.get(pk=submission.paper_id).status == Paper.Status.PUBLISHED
