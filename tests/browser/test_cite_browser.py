"""'Cite this paper' in a real browser (Chromium, CSP enforced).

With JavaScript, site.js adds a Copy button that puts the APA reference shown on the clipboard
and says so; without it the reference is selectable text and the downloads are plain links.
The head carries the Highwire citation_* tags and a schema.org JSON-LD block, which is data:
the CSP's script-src does not apply to it, so no violation may be reported for it.

The paper is made in the test's body (main thread); the browser steps (the Playwright thread,
see conftest.py) touch only plain values.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from papers import cite
from tests.factories import make_edition, make_paper, make_person, make_stream

pytestmark = pytest.mark.browser

SETTLE_MS = 300

# Installed before the page's own scripts: CSP violations as the document reports them.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} `
    + `in ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""

# What a reader selects: the reference's text, spaces collapsed (as site.js copies it).
REFERENCE_TEXT_JS = """() => document.getElementById("cite-apa").textContent
  .replace(/\\s+/g, " ").trim()"""

SELECT_REFERENCE_JS = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.getElementById("cite-apa"));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString().replace(/\\s+/g, " ").trim();
}"""

HEAD_JS = """() => ({
  title: [...document.querySelectorAll('head meta[name="citation_title"]')]
    .map((m) => m.content),
  authors: [...document.querySelectorAll('head meta[name="citation_author"]')]
    .map((m) => m.content),
  jsonLd: [...document.querySelectorAll('head script[type="application/ld+json"]')]
    .map((s) => s.textContent),
})"""

DOWNLOADS = {
    "BibTeX": ("cite.bib", "application/x-bibtex; charset=utf-8"),
    "RIS": ("cite.ris", "application/x-research-info-systems; charset=utf-8"),
    "CSL-JSON": ("cite.json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


@dataclass(frozen=True)
class Cited:
    """Plain values the browser steps may use."""

    path: str
    apa: str
    title: str
    authors: tuple
    file_stem: str


@pytest.fixture
def cited(live_server, settings):
    settings.COLLOQUY_SITE_URL = live_server.url
    edition = make_edition(name="Colloquy 2026", slug="cite-2026")
    paper = make_paper(
        stream=make_stream(edition, name="Care", slug="care"),
        title="Small groups keep people & “care” <together>",
        slug="small-groups",
        thesis="Small groups keep people because members notice each other.",
        abstract="An abstract.",
        authors=[make_person("Farah Siddiqui"), make_person("Ludwig van Beethoven")],
        published_on=datetime.datetime(2026, 4, 21, 9, tzinfo=datetime.UTC),
    )
    authors = list(paper.authors.order_by("authorships__position"))
    item = cite.paper_csl(paper, authors)
    return Cited(
        path=paper.get_absolute_url(),
        apa=cite.apa(item),
        title=paper.title,
        authors=("Farah Siddiqui", "Ludwig van Beethoven"),
        file_stem="cite-2026-small-groups",
    )


class Watch:
    """Console errors, page errors and CSP violations (events and console messages)."""

    def __init__(self, page):
        self.problems = []
        self.csp_console = []
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_console.append(message.text)
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")


def test_copy_button_copies_the_apa_reference(live_server, browser, cited):
    url = f"{live_server.url}{cited.path}"

    def steps(page):
        watch = Watch(page)
        page.goto(url, wait_until="load")
        shown = page.evaluate(REFERENCE_TEXT_JS)
        section = page.locator("section.cite")
        button = section.get_by_role("button", name="Copy reference")
        expect(button).to_have_count(1)
        status = section.locator(".cite-copy-status")
        expect(status).to_have_attribute("role", "status")
        before = status.inner_text()
        button.click()
        expect(status).to_have_text("Copied.")  # the visible feedback of site.js
        copied = page.evaluate("() => navigator.clipboard.readText()")
        page.wait_for_timeout(SETTLE_MS)
        csp_events = page.evaluate("() => window.__cspViolations")
        head = page.evaluate(HEAD_JS)
        return shown, before, copied, csp_events, head, watch

    shown, before, copied, csp_events, head, watch = browser.run(
        steps, permissions=["clipboard-read", "clipboard-write"]
    )

    assert shown == cited.apa
    assert before.strip() == ""
    assert copied == shown
    assert head["title"] == [cited.title]
    assert head["authors"] == list(cited.authors)
    [ld_text] = head["jsonLd"]
    ld = json.loads(ld_text)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "ScholarlyArticle"
    assert ld["headline"] == cited.title
    assert [author["name"] for author in ld["author"]] == list(cited.authors)
    assert csp_events == [], "the JSON-LD block (or anything else) broke the CSP"
    assert watch.csp_console == []
    assert watch.problems == []


def test_without_javascript_the_reference_is_text_and_downloads_work(live_server, browser, cited):
    url = f"{live_server.url}{cited.path}"

    def steps(page):
        page.goto(url, wait_until="load")
        section = page.locator("section.cite")
        buttons = section.get_by_role("button").count()
        selected = page.evaluate(SELECT_REFERENCE_JS)  # evaluate runs even with page JS off
        head = page.evaluate(HEAD_JS)
        fetched = {}
        for label in DOWNLOADS:
            link = section.get_by_role("link", name=label, exact=True)
            href = link.get_attribute("href")
            absolute = page.evaluate("(a) => a.href", link.element_handle())
            response = page.context.request.get(absolute)
            fetched[label] = (
                href,
                response.status,
                response.headers["content-type"],
                response.headers["content-disposition"],
                response.text(),
            )
        with page.expect_download() as info:
            section.get_by_role("link", name="CSL-JSON", exact=True).click()
        download = info.value
        downloaded = (
            download.suggested_filename,
            Path(download.path()).read_text(encoding="utf-8"),
        )
        return buttons, selected, head, fetched, downloaded

    buttons, selected, head, fetched, downloaded = browser.run(
        steps, java_script_enabled=False, accept_downloads=True
    )

    assert buttons == 0, "the Copy button is site.js's: none without JavaScript"
    assert selected == cited.apa
    assert head["title"] == [cited.title]
    assert head["authors"] == list(cited.authors)
    assert json.loads(head["jsonLd"][0])["@type"] == "ScholarlyArticle"
    for label, (name, content_type) in DOWNLOADS.items():
        href, status, served_type, disposition, body = fetched[label]
        assert href == f"{cited.path}{name}"
        assert status == 200, label
        assert served_type == content_type
        extension = name.rsplit(".", 1)[1]
        assert disposition == f'attachment; filename="{cited.file_stem}.{extension}"'
        assert cited.title.split()[0] in body
    assert fetched["BibTeX"][4].startswith("@inproceedings{")
    assert fetched["RIS"][4].startswith("TY  - CPAPER\n")
    [item] = json.loads(fetched["CSL-JSON"][4])
    assert item["title"] == cited.title
    filename, text = downloaded
    assert filename == f"{cited.file_stem}.json"
    assert json.loads(text) == [item]
