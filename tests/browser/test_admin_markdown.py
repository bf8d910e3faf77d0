"""The admin's Markdown page in Chromium: an organiser edits a paper's document, previews it
(drawn in the page with the site's own stylesheet, nothing saved), then saves it; no console
error, no CSP violation, no request elsewhere."""

import pytest

from papers.document import paper_document
from papers.models import Paper
from tests.browser.test_no_external_requests import NetworkWatch, origin
from tests.factories import make_paper, make_person, make_user
from tests.papers.references import NASLUND

pytestmark = pytest.mark.browser

PREVIEW_JS = """() => {
  const root = document.querySelector(".paper-preview").shadowRoot;
  const thesis = root.querySelector(".thesis");
  return {
    title: root.querySelector("h1").textContent,
    headings: [...root.querySelectorAll(".paper-section h2")].map((h) => h.textContent),
    emphasis: root.querySelector(".paper-section em")?.textContent,
    citation: root.querySelector("a.citation")?.getAttribute("href"),
    thesisBorder: getComputedStyle(thesis).borderLeftColor,
    thesisFont: getComputedStyle(thesis.querySelector("p")).fontStyle,
    document: document.querySelector("textarea[name=document]").value,
  };
}"""


def test_organiser_edits_previews_and_saves_a_paper_as_markdown(live_server, browser, signed_in):
    paper = make_paper(
        title="Small groups keep people",
        authors=[make_person("Ana Lima")],
        sections=[("Introduction", "Groups help (Naslund et al., 2016, p. 114).")],
        references=[NASLUND],
    )
    organiser = make_user("organiser", superuser=True)
    url = f"{live_server.url}/admin/papers/paper/{paper.pk}/markdown/"
    edited = paper_document(paper).replace(
        "title: Small groups keep people", "title: Small groups, previewed"
    )
    edited = edited.replace(
        "## References", "## Findings\n\nMembers *notice* each other.\n\n## References"
    )
    own = origin(live_server.url)

    def steps(page):
        watch = NetworkWatch(page, own)
        console_errors = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="load")
        loaded = watch.take(page)
        page.fill("textarea[name=document]", edited)
        with page.expect_navigation(wait_until="load"):
            page.click("input[name=_preview]")
        preview = page.evaluate(PREVIEW_JS)
        preview_heading = page.locator("#preview-heading").text_content()
        previewed = watch.take(page)
        with page.expect_navigation(wait_until="load"):
            page.click("input[name=_save]")
        saved_message = page.locator(".messagelist .success").text_content()
        return loaded, preview, preview_heading, previewed, saved_message, console_errors

    loaded, preview, heading, previewed, saved_message, console_errors = browser.run(
        steps, storage_state=signed_in(organiser)
    )

    assert heading.startswith("Preview: the paper as readers will see it")
    assert preview["title"] == "Small groups, previewed"
    assert preview["headings"] == ["Introduction", "Findings"]
    assert preview["emphasis"] == "notice"
    assert preview["citation"] == "#ref-naslund-2016"
    assert preview["thesisBorder"] == "rgb(11, 92, 173)"  # site.css's --accent, in the preview
    assert preview["thesisFont"] == "italic"
    assert preview["document"].replace("\r\n", "\n") == edited  # what was typed stays
    for seen in (loaded, previewed):
        assert not seen["csp_events"] and not seen["csp_console"], seen
        assert not seen["page_errors"], seen
        assert all(origin(request) == own for request in seen["requests"]), seen
    assert console_errors == []
    assert "was saved" in saved_message
    paper = Paper.objects.get(pk=paper.pk)
    assert paper.title == "Small groups, previewed"
    assert [s.heading for s in paper.sections.all()] == ["Introduction", "Findings"]
