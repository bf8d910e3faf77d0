"""An author signs in, writes a paper in the submission form, previews it, and submits it, in
a real browser: the preview shows the paper as readers will see it, and no page reports a
console error (a CSP violation among them)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from authoring.models import Submission
from papers.models import Paper
from tests.authoring.conftest import PAPER
from tests.factories import make_edition, make_person, make_stream, make_user

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"  # tests/factories.make_user
TITLE = "Care work keeps open source alive"


def watch_problems(page):
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console error: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def test_an_author_signs_in_previews_and_submits_a_paper(live_server, browser, mailoutbox):
    today = timezone.localdate()
    edition = make_edition(
        name="Colloquy 2027",
        slug="colloquy-2027",
        call_opens_on=today - datetime.timedelta(days=1),
        call_closes_on=today + datetime.timedelta(days=30),
    )
    make_stream(edition, name="Communities", slug="communities")
    make_person("Ada Lovelace", user=make_user("ada", email="ada@example.org"))

    def steps(page):
        problems = watch_problems(page)
        page.goto(f"{live_server.url}/accounts/login/?next=/me/papers/")
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("form.narrow-form [type=submit]").click()
        page.get_by_role("link", name="Submit a paper to Colloquy 2027").click()
        expect(page.locator("main > h1")).to_have_text("Submit a paper to Colloquy 2027")
        expect(page.locator("textarea[name=authors]")).to_have_value(
            "Ada Lovelace <ada@example.org>"
        )
        page.fill("textarea[name=document]", PAPER)
        with page.expect_navigation():
            page.get_by_role("button", name="Preview").click()
        preview = page.locator("section.preview")
        expect(preview.locator("h1#paper-title")).to_have_text(TITLE)
        expect(preview.locator(".thesis")).to_contain_text("Maintainers' care must be shared")
        expect(preview.locator("#bibliography")).to_be_visible()
        seen = {
            "sections": preview.locator(".paper-section h2").all_inner_texts(),
            "document_kept": page.locator("textarea[name=document]").input_value() == PAPER,
        }
        with page.expect_navigation():
            page.get_by_role("button", name="Submit the paper").click()
        expect(page.locator("main > h1")).to_have_text(f"Submission: {TITLE}")
        expect(page.locator(".messages")).to_contain_text("Your paper is submitted.")
        page.goto(f"{live_server.url}/me/papers/")
        expect(page.locator(".paper-card")).to_contain_text("Submitted")
        return seen, problems

    seen, problems = browser.run(steps)

    assert seen == {"sections": ["Introduction", "Method"], "document_kept": True}
    assert problems == []
    submission = Submission.objects.get()
    assert submission.paper.title == TITLE and submission.paper.status == Paper.Status.DRAFT
    assert [mail.subject for mail in mailoutbox] == [f"Received: “{TITLE}”"]
