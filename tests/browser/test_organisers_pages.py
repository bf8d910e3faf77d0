"""The organisers' side in a real browser, on the demo conference: the editions archive, the
edition's pages in its navigation (followed from a paper), the site's code of conduct, and a
discussion closed by the edition's rule; no serious or critical axe-core violation on any of
them, no console error, and nothing refused by the Content-Security-Policy."""

import datetime

import pytest

from demo.loader import load_demo
from papers.models import Edition, Paper, Stream
from tests.browser.test_accessibility import blocking_violations, describe

pytestmark = pytest.mark.browser


def test_organisers_pages_in_the_browser(live_server, browser, transactional_db):
    load_demo()
    edition = Edition.objects.get()
    paper = Paper.objects.order_by("slug").first()
    closed = Paper.objects.order_by("slug").last()
    closed_edition = Edition.objects.create(
        name="Colloquy Closed 2025",
        year=2025,
        slug="closed-2025",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2025, 4, 30),
        comments_close=Edition.CommentsClose.AT_END,
    )
    closed.edition = closed_edition
    closed.stream = Stream.objects.create(edition=closed_edition, name="Closed", slug="closed")
    closed.save()
    paper_url, closed_url, edition_name = (
        paper.get_absolute_url(),
        closed.get_absolute_url(),
        edition.name,
    )
    stops = [
        "/editions/",
        edition.get_absolute_url(),
        "/editions/colloquy-2026/pages/about/",
        "/editions/colloquy-2026/pages/call-for-papers/",
        "/pages/code-of-conduct/",
        closed_url,
    ]

    def steps(page):
        found = {}
        for path in stops:
            assert page.goto(live_server.url + path, wait_until="load").status == 200, path
            if violations := blocking_violations(page):
                found[path] = violations
        # From a paper, the edition's navigation leads to its call for papers.
        page.goto(live_server.url + paper_url, wait_until="load")
        nav = page.get_by_role("navigation", name=edition_name)
        nav.get_by_role("link", name="Call for papers").click()
        page.wait_for_url("**/pages/call-for-papers/")
        heading = page.get_by_role("heading", level=1).inner_text()
        current = nav.locator('[aria-current="page"]').inner_text()
        # The closed discussion says why, and has no form.
        page.goto(live_server.url + closed_url, wait_until="load")
        notice = page.locator(".comments-closed").inner_text()
        forms = page.locator("#commentform").count()
        return found, heading, current, notice, forms

    # axe-core is injected into the page, which the CSP would refuse: this run bypasses it,
    # and the console (where a refused resource would show) is read in a run with it on.
    found, heading, current, notice, forms = browser.run(steps, bypass_csp=True)
    report = "\n".join(f"{path}:\n{describe(v)}" for path, v in found.items())
    assert not found, f"axe-core found serious or critical violations:\n{report}"
    assert heading == "Call for papers" and current == "Call for papers"
    assert notice == (
        "Comments are closed. They closed on 30 April 2025, when Colloquy Closed 2025 ended."
    )
    assert forms == 0

    def without_axe(page):
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        for path in stops:
            page.goto(live_server.url + path, wait_until="load")
        return problems

    assert browser.run(without_axe) == []
