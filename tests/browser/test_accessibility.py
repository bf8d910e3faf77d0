"""Accessibility: axe-core finds no serious or critical violation on the site's pages.

The tour (conftest.py, `site_tour`) covers home, edition, stream, a demo paper, a paper with
a long threaded discussion (as it is, with the comment form's errors after an invalid post,
and, for its comment form only, signed in as its author), an author's page, /me/ as a paper
author, the sign-in page and the moderation queue (the list and a held near-duplicate) as a
moderator.

axe-core is injected into the page, which the site's strict Content-Security-Policy would
refuse; the axe runs use contexts with bypass_csp=True for that alone (the CSP itself is
proved in test_no_external_requests.py).
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.site_tour import expected_arrival, visit

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
AXE = Axe()


def blocking_violations(page, scope=None):
    """axe-core's serious and critical violations on the page as it is now (or in the part
    the CSS selector scope names)."""
    results = AXE.run(page, context=scope, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    - {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more nodes")
    return "\n".join(lines)


def test_no_serious_or_critical_violations_on_any_page(live_server, browser, site_tour):
    found, visited = {}, []

    for _who, storage_state, stops in site_tour.by_visitor():

        def steps(page, stops=stops):
            seen = []
            for stop in stops:
                response = visit(page, live_server.url, stop)
                seen.append((stop.name, response.status, urlsplit(page.url).path))
                violations = blocking_violations(page, stop.axe_scope)
                if violations:
                    found[stop.name] = violations
            return seen

        visited += browser.run(steps, bypass_csp=True, storage_state=storage_state)

    assert visited == [(stop.name, *expected_arrival(stop)) for stop in site_tour.stops], (
        "the tour did not arrive where it meant to (a sign-in lost, a redirect?)"
    )
    report = "\n".join(f"{name}:\n{describe(v)}" for name, v in found.items())
    assert not found, f"axe-core found serious or critical violations:\n{report}"


def test_axe_reports_what_it_should(browser):
    """The check can fail: a page with an unlabelled field and an empty button is caught."""

    def steps(page):
        page.set_content(
            '<!doctype html><html lang="en"><head><title>Control</title></head><body>'
            "<main><h1>Control</h1><input type=text><button></button></main></body></html>"
        )
        return {v["id"] for v in blocking_violations(page)}

    ids = browser.run(steps, bypass_csp=True)

    assert {"label", "button-name"} <= ids, ids
