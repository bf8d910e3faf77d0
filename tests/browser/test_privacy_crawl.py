"""No page of the site gives away a commenter's e-mail address: a crawl in a real browser.

The demo conference is loaded and a paper of our own is added with comments whose addresses
we know: guests' and signed-in users', with and without websites, one edited by its poster,
one held for moderation, one erased at its poster's request (the address then held nowhere,
so it must be shown nowhere). Then a visitor starts from the home page (and from the search
results for a word of a comment, the comment feeds, the sitemap, robots.txt and the
/my-comments/ form) and follows every same-origin link breadth-first, up to MAX_PAGES:
HTML pages are followed, anything else (feeds, citations, JSON downloads) is fetched and read
but its links only taken from the text. For every response:

1. no commenter's or user's address appears (case-blind, also HTML-escaped or URL-encoded),
   and no e-mail-looking string at all (none is intended anywhere);
2. no hash of one appears: md5 and sha256 of the lowercased, stripped address (Gravatar and
   Libravatar's keys), sha1 of it, and the same of the address as given;
3. the browser asks nothing of any host but the live server (no fonts, scripts, avatars);
4. no console error, script error or Content-Security-Policy violation.

The crawl is done twice: as an anonymous visitor, and signed in as an ordinary user with
comments of their own, whose own address may appear on their own pages under /me/ and
nowhere else. The BFS is kept in the test body; the browser fetches a batch of pages per
browser.run (conftest.py: each run must finish within its STEPS_TIMEOUT).

The last test shows that the detectors find a planted address and each kind of hash.
"""

import hashlib
import html
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model

from comments.models import Comment
from comments.own import comment_revise
from comments.personal_data import erase
from demo.loader import load_demo
from papers.models import Paper, Stream
from tests.browser.test_no_external_requests import CSP_LISTENER, origin
from tests.factories import make_comment, make_paper, make_user

pytestmark = pytest.mark.browser

MAX_PAGES = 150  # per crawl
BATCH = 12  # pages per browser.run, well within conftest's STEPS_TIMEOUT
SETTLE_MS = 100  # after each load, for anything a script might still ask for
MAX_PERMALINKS = 8  # followed of the /comments/<id>/ links (see _family)
MAX_QUERY_VARIANTS = 3  # followed of one path's query strings
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout")
SEARCH_WORD = "quokkas"  # in the edited comment's text, and nowhere else

# Addresses of our own commenters (mixed case on purpose: the checks are case-blind).
GUEST_WITH_SITE = "Wilhelmina.Guest@Example.COM"
GUEST_PLAIN = "plain.guest@example.net"
EDITING_GUEST = "second.thoughts@example.net"
HELD_GUEST = "held.for.review@example.net"
ERASED_GUEST = "please.forget.me@example.net"
SIGNED_IN_COMMENTER = "mariam.signed@example.org"
READER = "reader.private@example.org"  # the user of the signed-in crawl

# An e-mail-looking string: something@domain (a dot in the domain not required, so that
# noreply@localhost is found too). The text is also read HTML-unescaped and URL-decoded.
EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*")
# The only one the site shows on purpose: the organisers' contact address, in the demo's
# call for papers (demo/content/pages/call-for-papers.md), content an editor wrote. No other
# address (the site's own DEFAULT_FROM_EMAIL, noreply@localhost, included) is expected.
INTENDED_EMAIL_LIKE = frozenset({"colloquy-2026@example.org"})
# Chromium shows an XML document without a stylesheet (the sitemap) in its own viewer, which
# styles it inline; the site's CSP (style-src 'self') refuses that, and Chromium says so in
# the console. That is the browser's page, not the site's: not counted for XML documents.
XML_VIEWER_MESSAGE = "Applying inline style violates the following Content Security Policy"

# What Chromium's network log and console show, per page (installed in the Playwright thread).
PAGE_LINKS_JS = """() => Array.from(
  document.querySelectorAll("a[href], area[href], link[rel~=alternate][href]"),
  (el) => el.href
)"""


def hashes(address):
    """{hex digest: what it is} for the hashes an address is commonly published as."""
    found = {}
    for form, text in (("as given", address), ("normalised", address.strip().lower())):
        for algorithm in ("md5", "sha1", "sha256"):
            digest = hashlib.new(algorithm, text.encode()).hexdigest()
            found.setdefault(digest, f"{algorithm} of {address!r} ({form})")
    return found


def readings(text):
    """The text as served, HTML-unescaped, and URL-decoded: how an address may be written."""
    unescaped = html.unescape(text)
    return (text, unescaped, unquote(unescaped))


def leaks(text, addresses, *, allowed=frozenset()):
    """What in the text gives an address away: the addresses themselves (case-blind), their
    hashes, and any e-mail-looking string not in `allowed` (lowercased)."""
    found = set()
    digests = {}
    for address in addresses:
        digests.update(hashes(address))
    for reading in readings(text):
        lowered = reading.lower()
        for address in addresses:
            if address.strip().lower() in lowered and address.strip().lower() not in allowed:
                found.add(f"address {address}")
        for digest, what in digests.items():
            if digest in lowered:
                found.add(f"hash: {what}")
        for match in EMAIL_LIKE.findall(reading):
            if match.lower() not in allowed | INTENDED_EMAIL_LIKE:
                found.add(f"e-mail-like string {match!r}")
    return sorted(found)


@dataclass
class Fetched:
    """One crawled URL as the browser saw it: plain values only."""

    url: str
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    body: str = ""
    headers: str = ""  # the response's headers, one "name: value" a line
    dom: str = ""  # the document after its scripts ran (HTML only)
    links: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    csp_events: list = field(default_factory=list)
    error: str = ""


def _headers(response):
    """A page's Response has headers_array(); the request client's APIResponse, a list."""
    pairs = response.headers_array
    pairs = pairs() if callable(pairs) else pairs
    return "\n".join(f"{pair['name']}: {pair['value']}" for pair in pairs)


def _fetch_batch(page, urls):
    """Open each URL in the page (downloads through the context's request client, with the
    same cookies) and record what came back and what the page asked for meanwhile."""
    log = {"requests": [], "console": []}
    page.add_init_script(CSP_LISTENER)
    page.on("request", lambda request: log["requests"].append(request.url))
    page.on(
        "console",
        lambda message: message.type == "error" and log["console"].append(message.text),
    )
    page.on("pageerror", lambda error: log["console"].append(f"script error: {error}"))
    own = origin(urls[0])

    def only_own(route):
        if origin(route.request.url) == own:
            route.continue_()
        else:  # recorded by the request log above, and not waited for
            route.abort("blockedbyclient")

    page.route("**/*", only_own)
    results = []
    for url in urls:
        fetched = Fetched(url=url)
        try:
            response = page.goto(url, wait_until="load")
            page.wait_for_timeout(SETTLE_MS)
            fetched.final_url = page.url
            fetched.status = response.status
            fetched.content_type = response.headers.get("content-type", "")
            fetched.body = response.body().decode("utf-8", "replace")
            fetched.headers = _headers(response)
            if fetched.content_type.startswith("text/html"):
                fetched.dom = page.content()
                fetched.links = page.evaluate(PAGE_LINKS_JS)
                fetched.csp_events = page.evaluate(
                    "() => window.__cspViolations || ['no listener']"
                )
        except Exception as exc:  # a download: Chromium does not show it, so ask for it
            if "Download is starting" not in str(exc):
                fetched.error = str(exc).splitlines()[0]
            else:
                response = page.context.request.get(url)
                fetched.final_url = response.url
                fetched.status = response.status
                fetched.content_type = response.headers.get("content-type", "")
                fetched.body = response.body().decode("utf-8", "replace")
                fetched.headers = _headers(response)
        fetched.requests, log["requests"] = log["requests"], []
        fetched.console_errors, log["console"] = log["console"], []
        results.append(fetched)
    return results


def _followable(url, own):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != own:
        return False
    return not parts.path.startswith(SKIPPED_PREFIXES)


def _family(url):
    """URLs of one family show one page with a small variation, so a few of each are enough:
    the comment permalinks (each redirects to its discussion), and one path's query strings
    (?replyto=<id> on a discussion, ?next=<page> on the sign-in page)."""
    parts = urlsplit(url)
    if re.fullmatch(r"/comments/\d+/", parts.path):
        return "permalinks", MAX_PERMALINKS
    if parts.query:
        return parts.path, MAX_QUERY_VARIANTS
    return None, None


def links_in_text(text):
    """The absolute URLs in a feed, the sitemap, robots.txt or a JSON document."""
    found = re.findall(r"https?://[^\s\"'<>{}\\]+", html.unescape(text))
    return [url.rstrip(".,;:)]") for url in found]


def crawl(browser, own, starts, *, storage_state=None):
    """Breadth-first from the starts, over same-origin links, up to MAX_PAGES fetched."""
    queue = deque(urldefrag(url).url for url in starts)
    seen = set(queue)
    families = Counter()
    fetched = []
    while queue and len(fetched) < MAX_PAGES:
        batch = [queue.popleft() for _ in range(min(BATCH, MAX_PAGES - len(fetched), len(queue)))]
        results = browser.run(
            lambda page, batch=batch: _fetch_batch(page, batch), storage_state=storage_state
        )
        for result in results:
            fetched.append(result)
            links = result.links
            if not result.content_type.startswith("text/html"):
                links = links_in_text(result.body)
            for link in links:
                link = urldefrag(urljoin(result.final_url or result.url, link)).url
                if link in seen or not _followable(link, own):
                    continue
                seen.add(link)
                family, most = _family(link)
                if family is not None:
                    families[family] += 1
                    if families[family] > most:
                        continue
                queue.append(link)
    return fetched


def problems_of(pages, own, addresses, *, allowed_where=lambda path: frozenset()):
    """Every breach of the four rules, one line each, naming the URL and what was seen."""
    problems = []
    for page in pages:
        where = page.url if page.final_url in ("", page.url) else f"{page.url} -> {page.final_url}"
        if page.error:
            problems.append(f"{where}: not fetched: {page.error}")
            continue
        if page.status >= 400:
            problems.append(f"{where}: status {page.status}")
        allowed = allowed_where(urlsplit(page.final_url or page.url).path)
        for text, which in (
            (page.headers, "headers"),
            (page.body, "response"),
            (page.dom, "document"),
        ):
            for leak in leaks(text, addresses, allowed=allowed):
                problems.append(f"{where}: {which} shows {leak}")
        elsewhere = sorted({url for url in page.requests if origin(url) != own})
        if elsewhere:
            problems.append(f"{where}: requests to other hosts: {elsewhere}")
        console_errors = page.console_errors
        if "xml" in page.content_type:
            console_errors = [e for e in console_errors if not e.startswith(XML_VIEWER_MESSAGE)]
        if console_errors:
            problems.append(f"{where}: console errors: {console_errors}")
        if page.csp_events:
            problems.append(f"{where}: CSP violations: {page.csp_events}")
    return problems


@pytest.fixture
def commenters(live_server, settings):
    """The demo conference, and a paper of ours in its first stream with comments under known
    addresses. Returns (the paper, the reader: an ordinary user who has commented, every
    address any commenter or user has or had)."""
    settings.COLLOQUY_SITE_URL = live_server.url  # feeds and sitemap name the live server
    load_demo()
    paper = make_paper(
        stream=Stream.objects.order_by("pk").first(),
        title="Who may see whose address",
        sections=[("Introduction", "On privacy in *public* discussions.")],
    )
    signed = make_user("mariam", email=SIGNED_IN_COMMENTER, first_name="Mariam", last_name="Saleh")
    reader = make_user("reader", email=READER, first_name="Rea", last_name="Der")
    first = make_comment(
        paper,
        name="Wilhelmina",
        email=GUEST_WITH_SITE,
        website="https://wilhelmina.example/",
        body="Guests leave their websites here.",
    )
    make_comment(paper, parent=first, user=signed, body="A signed-in reply to a guest.")
    make_comment(paper, name="Plain Guest", email=GUEST_PLAIN, body="No website for me.")
    make_comment(paper, user=reader, website="https://reader.example/", body="The reader speaks.")
    edited = make_comment(paper, name="Second Thoughts", email=EDITING_GUEST, body="First try.")
    comment_revise(edited, body=f"On second thoughts: {SEARCH_WORD} are happy animals.")
    make_comment(
        paper,
        name="Held Person",
        email=HELD_GUEST,
        status=Comment.Status.PENDING,
        body="Waiting for a moderator.",
    )
    make_comment(
        paper,
        name="Forget Me",
        email=ERASED_GUEST,
        website="https://forget.example/",
        body="Erase my name but keep these words.",
    )
    make_comment(paper, user=signed, website="https://mariam.example/", body="Signed in, top.")
    assert erase(email=ERASED_GUEST, remove_texts=False) == 1

    edited.refresh_from_db()
    assert edited.edited_at is not None and edited.status == Comment.Status.APPROVED
    assert not Comment.objects.filter(email=ERASED_GUEST.lower()).exists()
    addresses = {ERASED_GUEST}
    addresses |= set(Comment.objects.exclude(email="").values_list("email", flat=True))
    addresses |= set(get_user_model().objects.exclude(email="").values_list("email", flat=True))
    addresses |= {GUEST_WITH_SITE, GUEST_PLAIN, EDITING_GUEST, HELD_GUEST, SIGNED_IN_COMMENTER}
    return paper, reader, frozenset(addresses)


def starts_for(base, paper):
    return [
        f"{base}/",
        f"{base}/search/?q={SEARCH_WORD}",
        f"{base}/feeds/comments/atom/",
        f"{base}{paper.get_absolute_url()}comments/atom/",
        f"{base}/sitemap.xml",
        f"{base}/robots.txt",
        f"{base}/my-comments/",
    ]


def _summary(pages):
    return f"{len(pages)} pages: " + ", ".join(urlsplit(p.url).path for p in pages[:40])


def _assert_crawl_reached(pages, paper):
    paths = {urlsplit(p.final_url or p.url).path for p in pages}
    assert paper.get_absolute_url() in paths, _summary(pages)
    for demo in Paper.objects.filter(status=Paper.Status.PUBLISHED)[:3]:
        assert demo.get_absolute_url() in paths, _summary(pages)
    search = next(p for p in pages if "/search/" in p.url and SEARCH_WORD in p.url)
    assert SEARCH_WORD in search.body.lower(), "the search found nothing: is the word searched?"
    assert any(p.content_type.startswith("application/atom") for p in pages), _summary(pages)
    assert len(pages) >= 30, _summary(pages)


def test_an_anonymous_crawl_shows_no_address_no_hash_and_asks_no_one_else(
    live_server, browser, commenters
):
    paper, _reader, addresses = commenters
    own = origin(live_server.url)

    pages = crawl(browser, own, starts_for(live_server.url, paper))

    _assert_crawl_reached(pages, paper)
    problems = problems_of(pages, own, addresses)
    assert not problems, f"{len(pages)} pages crawled\n" + "\n".join(problems)


def test_a_signed_in_crawl_shows_no_one_elses_address(live_server, browser, commenters, signed_in):
    paper, reader, addresses = commenters
    own = origin(live_server.url)
    own_address = reader.email.lower()

    pages = crawl(
        browser,
        own,
        [*starts_for(live_server.url, paper), f"{live_server.url}/me/"],
        storage_state=signed_in(reader),
    )

    _assert_crawl_reached(pages, paper)
    paths = {urlsplit(p.final_url or p.url).path for p in pages}
    assert {"/me/", "/me/comments/"} <= paths, _summary(pages)
    me_comments = next(p for p in pages if urlsplit(p.url).path == "/me/comments/")
    assert "The reader speaks." in me_comments.body, "not signed in on the crawl?"

    data = next(p for p in pages if urlsplit(p.url).path == "/me/comments/data.json")
    assert own_address in data.body.lower(), "their own data should hold their own address"

    def allowed_where(path):
        return frozenset({own_address}) if path.startswith("/me/") else frozenset()

    problems = problems_of(pages, own, addresses, allowed_where=allowed_where)
    assert not problems, f"{len(pages)} pages crawled\n" + "\n".join(problems)


def test_the_detectors_find_a_planted_address_and_its_hashes():
    address = "Planted.Person@Example.org"
    normalised = address.strip().lower().encode()
    clean = "<p>Nothing to see: @mentions, a@ sign alone, 5 @ 3.</p>"
    assert leaks(clean, {address}) == []
    assert leaks(f"<a href='mailto:{address.upper()}'>x</a>", {address}) == [
        f"address {address}",
        f"e-mail-like string '{address.upper()}'",
    ]
    assert f"address {address}" in leaks("Planted&#46;Person&#64;example.org", {address})
    assert f"address {address}" in leaks("mailto:planted.person%40example.org", {address})
    for algorithm in ("md5", "sha1", "sha256"):
        digest = hashlib.new(algorithm, normalised).hexdigest()
        found = leaks(
            f'<img src="https://www.gravatar.com/avatar/{digest.upper()}?s=40">', {address}
        )
        assert found == [f"hash: {algorithm} of {address!r} (normalised)"], found
    # Any address-looking string is found, known or not; an allowed one is let pass.
    assert leaks("write to noreply@localhost", set()) == ["e-mail-like string 'noreply@localhost'"]
    assert leaks(f"mine: {address}", {address}, allowed={address.lower()}) == []
    # The page checks name the URL and every kind of breach.
    page = Fetched(
        url="http://testserver/x/",
        status=200,
        body=f"<p>{hashlib.md5(normalised).hexdigest()}</p>",
        requests=["http://testserver/s.css", "https://fonts.example/f.woff2"],
        console_errors=["Refused to load"],
    )
    problems = problems_of([page], "http://testserver", {address})
    assert [p.split(": ")[1] for p in problems] == [
        "response shows hash",
        "requests to other hosts",
        "console errors",
    ], problems
