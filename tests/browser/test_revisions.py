"""A paper's revisions in Chromium: from the paper page's "Revised on" to its revisions, two
of them compared through the form (the changes marked and styled, a hostile revision shown as
text), an old section link landing on the renamed section, and a comment's link to the
version it was written on; no console error, no CSP violation, no request elsewhere. And no
serious accessibility violation on the revisions' pages, the edit page and its preview."""

import datetime

import pytest

from papers.importer import import_paper
from papers.models import PaperRevision
from papers.revisions import paper_revised
from tests.browser.test_accessibility import blocking_violations, describe
from tests.browser.test_no_external_requests import NetworkWatch, origin
from tests.factories import make_comment, make_stream
from tests.revisions.documents import document

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__ran = 1</script><img src=x onerror="window.__ran = 2">'

COMPARISON_JS = """() => {
  const ins = document.querySelector(".diff ins");
  const del = document.querySelector(".diff del");
  return {
    inserted: [...document.querySelectorAll(".diff ins")].map((e) => e.textContent),
    deleted: [...document.querySelectorAll(".diff del")].map((e) => e.textContent),
    kinds: [...document.querySelectorAll(".diff-section[class*=diff-]")]
      .map((e) => [...e.classList].find((c) => c.startsWith("diff-") && c !== "diff-section")),
    insDecoration: getComputedStyle(ins).textDecorationLine,
    delDecoration: getComputedStyle(del).textDecorationLine,
    diffWhiteSpace: getComputedStyle(ins.closest(".diff")).whiteSpace,
    scripts: document.querySelectorAll("main script, main img").length,
    ran: window.__ran || null,
  };
}"""


def test_a_reader_follows_the_revisions_and_compares_two(live_server, browser):
    stream = make_stream()
    paper, _created = import_paper(document(stream))
    first = paper_revised(paper, note="As submitted")
    old_day = datetime.datetime(2026, 4, 22, 10, tzinfo=datetime.UTC)
    PaperRevision.objects.filter(pk=first.pk).update(created_at=old_day)
    comment = make_comment(paper, body="Forty is few.", submitted_at=old_day.replace(hour=11))
    sections = [
        ("Introduction", "Maintainers carry the load (Naslund et al., 2016)."),
        ("How we asked", f"We asked fifty maintainers what they do. {HOSTILE}"),
    ]
    paper, _created = import_paper(document(stream, sections=sections), paper=paper)
    paper_revised(paper, note="Fifty, and how we asked")
    own = origin(live_server.url)

    def steps(page):
        watch = NetworkWatch(page, own)
        dialogs, console_errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}{paper.get_absolute_url()}#methods", wait_until="load")
        landed = page.evaluate(
            "() => document.getElementById('methods').closest('section').querySelector('h2').id"
        )
        revised = page.locator("p.revised").text_content()
        version_link = page.locator(f"#comment-{comment.pk} a.comment-version")
        version = version_link.text_content()
        with page.expect_navigation(wait_until="load"):
            version_link.click()
        earlier = (page.url, page.locator("h2#methods").text_content())
        seen = [watch.take(page)]
        page.goto(f"{live_server.url}{paper.get_absolute_url()}", wait_until="load")
        with page.expect_navigation(wait_until="load"):
            page.click("p.revised a")
        page.select_option("#compare-from", "1")
        page.select_option("#compare-to", "2")
        with page.expect_navigation(wait_until="load"):
            page.click(".compare-form button")
        comparison = page.evaluate(COMPARISON_JS)
        seen.append(watch.take(page))
        return landed, revised, version, earlier, comparison, seen, dialogs, console_errors

    landed, revised, version, earlier, comparison, seen, dialogs, console_errors = browser.run(
        steps
    )

    assert landed == "how-we-asked"  # the old #methods link lands on the renamed section
    assert revised.split()[:2] == ["Revised", "on"]
    assert version == "Written on an earlier version (revision 1)"
    assert earlier[0].endswith(f"{paper.get_absolute_url()}revisions/1/")
    assert earlier[1] == "Methods"
    assert comparison["kinds"] == ["diff-same", "diff-renamed", "diff-same"]
    assert "fifty" in comparison["inserted"] and "forty" in comparison["deleted"]
    assert any("<script>" in text for text in comparison["inserted"])  # shown as text
    assert comparison["insDecoration"] == "underline"
    assert comparison["delDecoration"] == "line-through"
    assert comparison["diffWhiteSpace"] == "pre-wrap"
    assert comparison["scripts"] == 0 and comparison["ran"] is None and dialogs == []
    for page_seen in seen:
        assert not page_seen["csp_events"] and not page_seen["csp_console"], page_seen
        assert not page_seen["page_errors"], page_seen
        assert all(origin(request) == own for request in page_seen["requests"]), page_seen
    assert console_errors == []


def test_the_revision_pages_have_no_serious_accessibility_violation(
    live_server, browser, signed_in
):
    stream = make_stream()
    paper, _created = import_paper(document(stream))
    paper_revised(paper)
    sections = [("Introduction", "Maintainers carry the load."), ("How we asked", "Fifty.")]
    paper, _created = import_paper(document(stream, sections=sections), paper=paper)
    paper_revised(paper, note="How we asked")
    author = paper.authorships.get().person.user
    base = f"{live_server.url}{paper.get_absolute_url()}"
    addresses = [
        f"{base}revisions/",
        f"{base}revisions/1/",
        f"{base}revisions/compare/?from=1&to=2",
        f"{base}edit/",
    ]

    def steps(page):
        found = {}
        for address in addresses:
            page.goto(address, wait_until="load")
            found[address] = blocking_violations(page)
        with page.expect_navigation(wait_until="load"):
            page.click("button[name=preview]")
        found["the edit page's preview"] = blocking_violations(page)
        return found

    found = browser.run(steps, bypass_csp=True, storage_state=signed_in(author))
    problems = {where: describe(violations) for where, violations in found.items() if violations}
    assert not problems, "\n".join(f"{where}:\n{text}" for where, text in problems.items())
