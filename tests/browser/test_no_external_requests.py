"""No request leaves the site, and the Content-Security-Policy is never violated.

On every page of the tour (conftest.py, `site_tour`), in a normal context (CSP enforced), the
browser's network log holds only the live server's own origin: no CDN, font, analytics or
data: URI; and no Content-Security-Policy violation is reported, neither as a
`securitypolicyviolation` event (an init script listens from before the page's own scripts)
nor as a console message. A request to elsewhere is also aborted, so that a regression
fails here at once instead of waiting on the network.

The last test shows that both detectors work: a context that lets a page load an external
image records the request, and an inline script under the CSP is reported.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.site_tour import expected_arrival, visit
from tests.factories import make_paper

pytestmark = pytest.mark.browser

# Installed in every document before its own scripts; init scripts run under the CSP too.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} `
    + `in ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""
SETTLE_MS = 200  # after the load event, for anything a script might still ask for

# data: URIs never reach the network log (Chromium loads them without a request), so they are
# looked for where they would be: URL attributes, inline styles and the stylesheets' rules.
DATA_URIS_JS = r"""() => {
  const found = [];
  const isData = (value) => /^\s*data:/i.test(value || "");
  const cssData = /url\(\s*["']?\s*data:/i;
  for (const el of document.querySelectorAll("[src],[href],[srcset],[poster],[data],[style]")) {
    for (const name of ["src", "href", "srcset", "poster", "data"]) {
      if (isData(el.getAttribute(name))) found.push(`<${el.localName} ${name}=data:...>`);
    }
    if (cssData.test(el.getAttribute("style") || "")) found.push(`<${el.localName} style=...data:>`);
  }
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (error) { found.push(`unreadable: ${sheet.href}`); continue; }
    for (const rule of rules) {
      if (cssData.test(rule.cssText)) found.push(`${sheet.href}: ${rule.cssText.slice(0, 100)}`);
    }
  }
  return found;
}"""


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NetworkWatch:
    """Every request the page makes, requests to other origins aborted, CSP violations (as
    events and console messages) and page errors, per page visited."""

    def __init__(self, page, own_origin):
        self.own_origin = own_origin
        self.requests = []
        self.csp_console = []
        self.page_errors = []
        page.add_init_script(CSP_LISTENER)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.route("**/*", self._route)

    def _route(self, route):
        if origin(route.request.url) == self.own_origin:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_console.append(text)

    def take(self, page):
        """What happened since the last take, with the CSP events of the document shown."""
        page.wait_for_timeout(SETTLE_MS)
        seen = {
            "requests": self.requests,
            "csp_events": page.evaluate("() => window.__cspViolations || null"),
            "data_uris": page.evaluate(DATA_URIS_JS),
            "csp_console": self.csp_console,
            "page_errors": self.page_errors,
        }
        self.requests, self.csp_console, self.page_errors = [], [], []
        return seen


def test_no_request_leaves_the_site_and_no_csp_violation(live_server, browser, site_tour):
    own = origin(live_server.url)
    seen = {}

    for _who, storage_state, stops in site_tour.by_visitor():

        def steps(page, stops=stops):
            watch = NetworkWatch(page, own)
            for stop in stops:
                response = visit(page, live_server.url, stop)
                seen[stop.name] = {
                    "arrival": (response.status, urlsplit(page.url).path),
                    "csp": response.headers.get("content-security-policy", ""),
                    **watch.take(page),
                }

        browser.run(steps, storage_state=storage_state)

    problems = []
    for stop in site_tour.stops:
        page = seen[stop.name]
        if page["arrival"] != expected_arrival(stop):
            problems.append(f"{stop.name}: arrived at {page['arrival']}")
        if "script-src 'self'" not in page["csp"]:
            problems.append(f"{stop.name}: no strict Content-Security-Policy: {page['csp']!r}")
        elsewhere = [url for url in page["requests"] if origin(url) != own]
        if elsewhere:
            problems.append(f"{stop.name}: requests to other origins: {elsewhere}")
        if page["data_uris"]:
            problems.append(f"{stop.name}: data: URIs: {page['data_uris']}")
        if not any(urlsplit(url).path.endswith(".css") for url in page["requests"]):
            problems.append(f"{stop.name}: no stylesheet request seen; is the log working?")
        if page["csp_events"] is None:
            problems.append(f"{stop.name}: the CSP listener was not installed")
        elif page["csp_events"]:
            problems.append(f"{stop.name}: CSP violations: {page['csp_events']}")
        if page["csp_console"]:
            problems.append(f"{stop.name}: CSP console messages: {page['csp_console']}")
        if page["page_errors"]:
            problems.append(f"{stop.name}: script errors: {page['page_errors']}")
    assert not problems, "\n".join(problems)


def test_the_detectors_catch_an_external_request_and_a_csp_violation(live_server, browser):
    own = origin(live_server.url)
    paper_url = live_server.url + make_paper(title="A control").get_absolute_url()
    external = "http://203.0.113.7/pixel.png"  # TEST-NET-3: never a real host
    inject = f"""() => {{
      const image = document.createElement("img");
      image.src = "{external}";
      document.body.append(image);
      const inlined = document.createElement("img");
      inlined.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.body.append(inlined);
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.body.append(script);
      return window.__inlineRan === true;
    }}"""

    def steps(page, *, csp):
        watch = NetworkWatch(page, own)
        page.goto(paper_url)
        watch.take(page)
        inline_ran = page.evaluate(inject)
        return inline_ran, watch.take(page)

    inline_ran_with_csp, with_csp = browser.run(lambda page: steps(page, csp=True))
    inline_ran_without, without_csp = browser.run(
        lambda page: steps(page, csp=False), bypass_csp=True
    )

    # Under the site's CSP the image and the inline script are refused and reported.
    assert not inline_ran_with_csp
    assert any("img-src" in v and "203.0.113.7" in v for v in with_csp["csp_events"]), with_csp
    assert any("script-src" in v for v in with_csp["csp_events"]), with_csp
    assert with_csp["csp_console"], with_csp
    # Without it, the request goes out and the network log sees it (the route aborts it).
    assert inline_ran_without
    assert external in without_csp["requests"], without_csp
    assert without_csp["data_uris"] == ["<img src=data:...>"], without_csp
