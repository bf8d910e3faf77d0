"""Cross-site scripting: our corpus (xss_payloads.py), as a comment's text, a guest's name and
a guest's website, is inert wherever the site shows it.

Every payload, if it ever ran, would call `__xss(N)` (recorded by an init script), open a
dialog, navigate or ask another site for something; the pages are also searched for what
would run on a click or hover: an element with an on* attribute, a javascript:/data:/
vbscript: address, an element no comment may hold (script, iframe, svg, img, form...).

The browser contexts here bypass the Content-Security-Policy, so that these tests prove the
sanitiser and the escaping, not the CSP (under which nothing inline could run anyway: see
test_no_external_requests.py). The control test shows that in such a context an injected
handler does run and is caught, so the checks can fail.

The whole corpus is stored by the posting service (comment_create: moderation and all), with
each name and website as the comment form itself cleans it, or left out where the form refuses
it; a selection is posted over HTTP through the real form with Django's test client (a page
GET for the form's token before each post, a distinct e-mail and client address per post,
the flood check left on). The comments are held, as every guest's first comment is, seen in
the moderation queue, approved, then seen on the paper page by a guest (all threads on one
page), in /me/ by the paper's author and in the admin's list by a moderator. The whole corpus
is also typed into the form in the browser and posted with a mistake, so that the page comes
back with everything typed in it. Text people typed must still be there, as typed.
"""

import copy
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from comments.forms import CommentForm
from comments.models import Comment, PendingComment
from comments.services import Identity, comment_create, paper_discussion_changed
from comments.tokens import new_form_token
from tests.browser.xss_payloads import KINDS, PAYLOADS, which
from tests.factories import make_comment, make_paper, make_person, make_user

SETTLE_MS = 300  # after a page's load event, for handlers that run a little later

# Installed in every document (and frame) before its own scripts.
RECORDER = """
window.__xssHits = [];
window.__xss = (n) => { window.__xssHits.push(String(n)); };
"""

# What would run on a click, a hover or a focus, or load from elsewhere: found in the
# elements under `roots` (no element a comment may not hold, no on* or style attribute), and
# in the whole document (no on* attribute, no address but http(s), mailto and the page's own,
# no script but the site's files, no base, refresh or frame).
INERT_JS = r"""({roots, allow}) => {
  const problems = [];
  const show = (el) => el.outerHTML.slice(0, 200);
  const forbidden = new Set(["script", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "style", "link", "meta", "base", "form", "input", "button",
    "textarea", "select", "option", "img", "image", "video", "audio", "source", "picture",
    "template", "details", "dialog", "marquee", "isindex", "keygen", "noscript", "plaintext",
    "xmp", "xss", "animate", "set", "use", "foreignobject", "maction", "mi", "portal"]);
  for (const selector of roots) {
    for (const root of document.querySelectorAll(selector)) {
      for (const el of [root, ...root.querySelectorAll("*")]) {
        if (allow && el.matches(allow)) { continue; }
        // The site's own "Cite" of each comment: no comment can make a details element
        // (the sanitiser's allow-list), let alone give one a class.
        if (el.matches("details.comment-cite, details.comment-cite > summary")) { continue; }
        if (forbidden.has(el.localName.toLowerCase())) { problems.push(`element: ${show(el)}`); }
        for (const attr of el.attributes) {
          if (["style", "srcdoc", "formaction"].includes(attr.name.toLowerCase())) {
            problems.push(`attribute ${attr.name}: ${show(el)}`);
          }
        }
      }
    }
  }
  const addresses = ["href", "src", "action", "formaction", "data", "xlink:href", "poster",
    "background", "srcset", "codebase", "cite", "ping"];
  const safe = new Set(["http:", "https:", "mailto:"]);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) { problems.push(`handler ${name}: ${show(el)}`); }
      if (!addresses.includes(name)) { continue; }
      let protocol;
      try { protocol = new URL(attr.value, document.baseURI).protocol; } catch (e) { continue; }
      if (!safe.has(protocol)) { problems.push(`${name} ${protocol}: ${show(el)}`); }
    }
  }
  for (const script of document.scripts) {
    // Data blocks never run: the form's data and the paper's scholarly metadata (JSON-LD).
    const type = (script.type || "").toLowerCase();
    if (type === "application/json" || type === "application/ld+json") { continue; }
    if (!script.src || new URL(script.src).origin !== location.origin) {
      problems.push(`script: ${show(script)}`);
    }
  }
  for (const el of document.querySelectorAll("base, iframe, frame, object, embed")) {
    problems.push(`element: ${show(el)}`);
  }
  for (const meta of document.querySelectorAll("meta[http-equiv]")) {
    if (meta.httpEquiv.toLowerCase() === "refresh") { problems.push(`refresh: ${show(meta)}`); }
  }
  return problems;
}"""

# Comments as a reader sees them: author name, link, reply link, text.
SHOWN_COMMENTS_JS = """(ids) => Object.fromEntries(ids.map((id) => {
  const article = document.querySelector(`li#comment-${id} > article`);
  const author = article?.querySelector(".comment-author");
  return [id, article ? {
    author: author?.textContent ?? null,
    href: author?.querySelector("a")?.getAttribute("href") ?? null,
    label: article.getAttribute("aria-label"),
    replyAuthor: article.querySelector("a.comment-reply-link")?.getAttribute("data-author"),
    text: article.querySelector(".comment-content")?.textContent ?? "",
  } : null];
}))"""


def collapse(text):
    return " ".join(text.split())


class _CommentFormFields(HTMLParser):
    """The action and hidden fields of the page's comment form (#commentform)."""

    def __init__(self):
        super().__init__()
        self.inside, self.action, self.hidden = False, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "commentform"
            if self.inside:
                self.action = attrs.get("action")
        elif self.inside and tag == "input" and attrs.get("type") == "hidden":
            self.hidden[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


class Poster:
    """Guests posting over HTTP through the real form: each post a new visitor (own client,
    e-mail and client address) who first GETs the paper page for the form and its token."""

    def __init__(self, paper):
        self.paper = paper
        self.count = 0

    def post(self, *, name, website, body):
        """(status, comment or None, error text) of one post."""
        self.count += 1
        n = self.count
        email = f"guest{n}@example.net"
        client = Client(HTTP_X_FORWARDED_FOR=f"198.18.{n // 250}.{n % 250 + 1}")
        page = client.get(self.paper.get_absolute_url())
        assert page.status_code == 200, page.status_code
        form = _CommentFormFields()
        form.feed(page.content.decode())
        assert form.action and "token" in form.hidden, "no comment form with a token on the page"
        data = {**form.hidden, "name": name, "email": email, "website": website, "body": body}
        response = client.post(urlsplit(form.action).path, data)
        comment = Comment.objects.filter(email=email).first()
        errors = ""
        if response.status_code != 302:
            errors = collapse(re.sub(r"<[^>]+>", " ", _error_html(response.content.decode())))
        return response.status_code, comment, errors

    def form_takes(self, **fields):
        """What the comment form makes of these name and website values: field -> cleaned
        value, for those it accepts (the form, run here, decides; no HTTP)."""
        self.count += 1
        data = {
            "name": "Form check",
            "email": f"check{self.count}@example.net",
            "website": "",
            "body": "Form check.",
            "token": new_form_token(),
            **fields,
        }
        form = CommentForm(data, paper=self.paper)
        form.is_valid()
        return {field: form.cleaned_data[field] for field in fields if field not in form.errors}


def _error_html(page):
    """The form's error messages in an answer, for an assertion's message."""
    return " ".join(re.findall(r"<(?:p|span|div)[^>]*(?:error|invalid-feedback)[^>]*>.*?</", page))


@dataclass(frozen=True)
class Posted:
    """Plain values for the browser steps: what was stored, by comment id."""

    paper_path: str
    names: dict  # id -> name as stored
    websites: dict  # id -> website as stored
    bodies: dict  # id -> body as stored
    shown_as_typed: dict  # id -> body that must show as its own text
    near_duplicate_id: int
    near_duplicate_body: str
    website_comment_id: int | None
    not_taken: dict  # field -> payload numbers the form refused there


@pytest.fixture
def hostile_posting(settings):
    """Guests post at once after the page, behind one trusted proxy (X-Forwarded-For gives
    each its own address); their first comments are held; e-mails to moderators are off."""
    moderation = copy.deepcopy(settings.COLLOQUY_MODERATION)
    moderation["min_seconds_to_post"] = 0
    settings.COLLOQUY_MODERATION = moderation
    settings.COLLOQUY_TRUSTED_PROXIES = 1
    settings.COLLOQUY_NOTIFY_MODERATORS = False
    settings.COLLOQUY_THREADS_PER_PAGE = 0


# Posted over HTTP: the first payload of each class, those that must show as typed, and the
# first few web addresses (which the website field takes).
HTTP_SELECTION = tuple(
    p
    for p in PAYLOADS
    if p.shown_as_typed
    or p is next(q for q in PAYLOADS if q.kind == p.kind)
    or p in [q for q in PAYLOADS if str(q.template).startswith("https://ok.example/")][:4]
)


def post_corpus(paper, author_user):
    """Every payload as a guest's body, name and website, in one comment each: the name and
    website as the comment form cleans them (a probe name, no website, where it refuses them),
    stored by the posting service (moderation and all); HTTP_SELECTION posted for real; and a
    near-duplicate pair (the paper's author repeating the whole corpus)."""
    poster = Poster(paper)
    names, websites, bodies, typed, not_taken = {}, {}, {}, {}, {}

    def keep(comment, payload, taken):
        bodies[comment.pk] = comment.body
        if payload.shown_as_typed:
            typed[comment.pk] = comment.body
        if "name" in taken:
            names[comment.pk] = comment.name
        if "website" in taken:
            websites[comment.pk] = comment.website

    for payload in PAYLOADS:
        n = payload.number
        taken = poster.form_takes(name=payload.text("name"), website=payload.text("website"))
        for field in ("name", "website"):
            if field not in taken:
                not_taken.setdefault(field, []).append(n)
        identity = Identity(
            name=taken.get("name", f"Name refused {n}"),
            email=f"bulk{n}@example.net",
            website=taken.get("website", ""),
        )
        comment, _ = comment_create(paper=paper, identity=identity, body=payload.text("body"))
        keep(comment, payload, taken)

    for payload in HTTP_SELECTION:
        fields = {"name": payload.text("posted name"), "website": payload.text("posted website")}
        taken = poster.form_takes(**fields)
        fields = {"name": f"Name refused {payload.number}", "website": "", **taken}
        status, comment, errors = poster.post(**fields, body=payload.text("posted body"))
        assert status == 302 and comment, f"#{payload.number} not posted: {status} {errors}"
        assert comment.body == payload.text("posted body")
        keep(comment, payload, taken)

    corpus = "\n\n".join(payload.text("near-duplicate") for payload in PAYLOADS)
    author = Identity(name=author_user.get_full_name(), email=author_user.email, user=author_user)
    original, _ = comment_create(paper=paper, identity=author, body=corpus)
    again, _ = comment_create(paper=paper, identity=author, body=corpus + "\n\nOne more thing.")
    assert again.status == Comment.Status.PENDING, "the near-duplicate was not held"
    assert again.reasons.filter(check_name="near_duplicate", related_comment=original).exists()
    return Posted(
        paper_path=paper.get_absolute_url(),
        names=names,
        websites=websites,
        bodies=bodies,
        shown_as_typed=typed,
        near_duplicate_id=again.pk,
        near_duplicate_body=again.body,
        website_comment_id=next(iter(websites), None),
        not_taken=not_taken,
    )


class Watch:
    """Everything on a page that says a payload ran: recorded calls (in every frame),
    dialogs, page errors, navigations after the page's own, requests to other origins."""

    def __init__(self, page, own_origin):
        self.page, self.own_origin = page, own_origin
        self.dialogs, self.errors, self.elsewhere, self.navigations = [], [], [], []
        page.add_init_script(RECORDER)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("framenavigated", self._navigated)
        page.route("**/*", self._route)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def _route(self, route):
        url = route.request.url
        if f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" == self.own_origin:
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort("blockedbyclient")

    def open(self, url):
        self.navigations = []
        response = self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(SETTLE_MS)
        return response

    def report(self, *, roots, allow=None, expected_navigations=None):
        """What ran or would run, on the page as it is now; [] when nothing."""
        problems = []
        for frame in self.page.frames:
            try:
                hits = frame.evaluate("() => window.__xssHits || []")
            except Exception as error:  # a frame of another origin: it should not exist
                problems.append(f"unreadable frame {frame.url}: {error}")
                continue
            problems += [f"ran: {which(hit)}" for hit in hits]
        problems += [f"dialog {d} from {which(d.split(': ', 1)[1])}" for d in self.dialogs]
        problems += [f"page error: {e}" for e in self.errors]
        problems += [f"request elsewhere: {url}" for url in self.elsewhere]
        problems += [
            f"navigated elsewhere: {url}"
            for url in self.navigations
            if not url.startswith(self.own_origin + "/")
        ]
        if expected_navigations is not None and self.navigations != expected_navigations:
            problems.append(f"navigated: {self.navigations}, not {expected_navigations}")
        problems += self.page.evaluate(INERT_JS, {"roots": roots, "allow": allow})
        self.dialogs, self.errors, self.elsewhere, self.navigations = [], [], [], []
        return problems


def own_origin(live_server):
    parts = urlsplit(live_server.url)
    return f"{parts.scheme}://{parts.netloc}"


def failures(seen):
    """An assertion message: page -> problems, for the pages that have any."""
    return "\n".join(
        f"{page}:\n  " + "\n  ".join(problems[:40]) + (" ..." if len(problems) > 40 else "")
        for page, problems in seen.items()
        if problems
    )


@pytest.mark.browser
@pytest.mark.usefixtures("hostile_posting")
def test_corpus_is_inert_in_the_queue_the_discussion_me_and_the_admin(
    live_server, browser, moderator, signed_in, monkeypatch
):
    author_user = make_user("hostile-author", first_name="Ada", last_name="Writer")
    person = make_person("Ada Writer", user=author_user)
    paper = make_paper(title="Hostile input, shown safely", authors=[person])
    posted = post_corpus(paper, author_user)
    assert posted.names and posted.websites, "no name or website of the corpus reaches a page"
    for model in (Comment, PendingComment):  # every comment of the test on one list page
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", 2000)
    origin = own_origin(live_server)
    queue = f"{live_server.url}/admin/comments/pendingcomment/"
    pending_ids = list(
        PendingComment.objects.filter(paper=paper, status=Comment.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    names_in_lists_js = """() => Object.fromEntries([...document.querySelectorAll(
      "#result_list tbody tr")].map((row) => [row.querySelector("input.action-select").value,
      row.querySelector("td.field-commenter, th.field-commenter").textContent]))"""
    admin_lists = {"roots": ["#result_list tbody"], "allow": ".action-checkbox, .action-checkbox *"}

    def moderator_before_approval(page):
        watch, seen, body_kept = Watch(page, origin), {}, None
        watch.open(queue)
        seen["moderation queue"] = watch.report(**admin_lists)
        shown_in_queue = page.evaluate(names_in_lists_js)
        for label, pk in (
            ("held near-duplicate (difference)", posted.near_duplicate_id),
            ("a website comment's page", posted.website_comment_id),
        ):
            if pk is None:  # the form took no website at all
                continue
            watch.open(f"{queue}{pk}/change/")
            seen[label] = watch.report(
                roots=["div.readonly", "table.comment-diff"],
                allow='img[src^="/static/admin/img/icon-"]',  # a yes/no field's icon
            )
            if label.startswith("held"):
                body = page.locator("textarea[name=body]")
                body_kept = body.input_value() if body.count() else None
        return seen, shown_in_queue, body_kept

    seen, shown_in_queue, body_kept = browser.run(
        moderator_before_approval, bypass_csp=True, storage_state=signed_in(moderator)
    )
    assert not failures(seen), failures(seen)
    assert set(shown_in_queue) == {str(pk) for pk in pending_ids}, "the queue is not all there"
    assert {int(k): v for k, v in shown_in_queue.items() if int(k) in posted.names} == (
        posted.names
    ), "a name in the queue is not shown as typed"
    if body_kept is not None:  # an editable text: it must hold what was typed, unbroken
        assert body_kept.replace("\r\n", "\n") == posted.near_duplicate_body.replace("\r\n", "\n")

    # Approved in one go (the pages show what was stored when the comments were made; the
    # service's events and e-mails for each approval would only cost time here).
    paper.comments.exclude(status=Comment.Status.APPROVED).update(
        status=Comment.Status.APPROVED, status_changed_at=timezone.now()
    )
    paper_discussion_changed(paper)  # the count, and the cached pages let go
    ids = sorted({*posted.names, *posted.websites, *posted.bodies})
    paper_url = live_server.url + posted.paper_path
    reply_to = list(posted.names)[:12]

    def guest_reads_the_discussion(page):
        watch = Watch(page, origin)
        watch.open(paper_url)
        seen = {
            "paper page": watch.report(
                roots=["#comments .comment-list"], expected_navigations=[paper_url]
            )
        }
        shown = page.evaluate(SHOWN_COMMENTS_JS, ids)
        headings = []
        if seen["paper page"]:  # broken already: the rest would only add noise
            return seen, shown, headings
        for pk in reply_to:  # site.js writes the name into the form's heading
            page.locator(f"#comment-{pk} > article a.comment-reply-link").click()
            headings.append((pk, page.locator("#reply-title .reply-name").text_content()))
        seen["paper page, reply form moved"] = watch.report(
            roots=["#comments .comment-list"],
            allow="#respond, #respond *",
            expected_navigations=[],
        )
        return seen, shown, headings

    seen, shown, headings = browser.run(guest_reads_the_discussion, bypass_csp=True)
    assert not failures(seen), failures(seen)
    missing = [pk for pk in ids if shown[str(pk)] is None]
    assert not missing, f"approved comments not shown: {missing}"
    wrong_names = {
        pk: (name, shown[str(pk)])
        for pk, name in posted.names.items()
        if {shown[str(pk)]["author"], shown[str(pk)]["replyAuthor"]} != {name}
        or shown[str(pk)]["label"] != f"Comment by {name}"
    }
    assert not wrong_names, f"names not shown as typed: {wrong_names}"
    wrong_links = {
        pk: (site, shown[str(pk)]["href"])
        for pk, site in posted.websites.items()
        if shown[str(pk)]["href"] != site
    }
    assert not wrong_links, f"websites not linked as typed: {wrong_links}"
    assert headings == [(pk, posted.names[pk]) for pk in reply_to]
    # Raw HTML in a comment is shown as the text that was typed (README: "Using it").
    not_as_typed = {
        pk: (body, shown[str(pk)]["text"])
        for pk, body in posted.shown_as_typed.items()
        if collapse(shown[str(pk)]["text"]) != collapse(body)
    }
    assert not not_as_typed, f"HTML typed in a comment is not shown as typed: {not_as_typed}"
    assert len(posted.shown_as_typed) >= 5
    emptied = [pk for pk in posted.bodies if not shown[str(pk)]["text"].strip()]
    assert not emptied, f"comments whose text was lost entirely: {emptied}"

    def author_reads_me(page):
        watch = Watch(page, origin)
        watch.open(f"{live_server.url}/me/")
        names = page.locator(".awaiting-list li strong").all_text_contents()
        return {"/me/": watch.report(roots=[".awaiting-list"])}, names

    seen, names_on_me = browser.run(
        author_reads_me, bypass_csp=True, storage_state=signed_in(author_user)
    )
    assert not failures(seen), failures(seen)
    assert set(posted.names.values()) <= set(names_on_me), "/me/ lost or changed a name"

    def moderator_lists_everything(page):
        watch = Watch(page, origin)
        watch.open(f"{live_server.url}/admin/comments/comment/")
        seen = {"comments list": watch.report(**admin_lists)}
        return seen, page.evaluate(names_in_lists_js)

    seen, shown_in_list = browser.run(
        moderator_lists_everything, bypass_csp=True, storage_state=signed_in(moderator)
    )
    assert not failures(seen), failures(seen)
    assert {int(k): v for k, v in shown_in_list.items() if int(k) in posted.names} == posted.names


def first_payload(prefix):
    return next(
        p for p in PAYLOADS if isinstance(p.template, str) and p.template.startswith(prefix)
    )


# Fill the comment form by script (past maxlength: the server must cope with anything).
SET_VALUES_JS = """(values) => {
  const form = document.getElementById("commentform");
  for (const [name, value] of Object.entries(values)) {
    const field = form.elements[name];
    if (field.type === "checkbox") { field.checked = value; } else { field.value = value; }
  }
}"""


@pytest.mark.browser
@pytest.mark.usefixtures("quick_guest_posting")
def test_corpus_echoed_by_the_form_and_its_cookies_is_inert(live_server, browser):
    paper = make_paper(title="Forms that answer back")
    make_comment(paper, name="Grace Hopper", body="A first comment, so the list is there.")
    paper_url = live_server.url + paper.get_absolute_url()
    origin = own_origin(live_server)
    echoed = {
        "name": " ".join(p.text("echoed name") for p in PAYLOADS),
        "website": " ".join(p.text("echoed website") for p in PAYLOADS),
        "body": "\n\n".join(p.text("echoed body") for p in PAYLOADS),
        "email": "not-an-address",
    }
    remembered = {
        "name": first_payload('"><svg').text("remembered name"),
        "website": first_payload('https://ok.example/"><script>').text("remembered website"),
        "email": "remember.me@example.net",
        "body": "Please remember my details for next time.",
        "remember": True,
    }
    read_values = """() => { const f = document.getElementById("commentform").elements;
      return {name: f.name.value, website: f.website.value, body: f.body.value}; }"""

    def steps(page):
        watch = Watch(page, origin)
        watch.open(paper_url)
        page.evaluate(SET_VALUES_JS, echoed)
        with page.expect_navigation(wait_until="load") as answer:
            page.locator("#commentform [type=submit]").click()
        page.wait_for_timeout(SETTLE_MS)
        seen = {"form with errors": watch.report(roots=["#comments .comment-list"])}
        errors_status, errors_values = answer.value.status, page.evaluate(read_values)

        page.evaluate(SET_VALUES_JS, remembered)
        with page.expect_navigation(wait_until="load") as answer:
            page.locator("#commentform [type=submit]").click()
        page.wait_for_timeout(SETTLE_MS)
        seen["after posting with Save my name"] = watch.report(roots=["#comments .comment-list"])
        watch.open(paper_url)
        seen["the next visit's form"] = watch.report(roots=["#comments .comment-list"])
        return seen, errors_status, errors_values, answer.value.status, page.evaluate(read_values)

    seen, errors_status, errors_values, remember_status, next_values = browser.run(
        steps, bypass_csp=True
    )

    assert not failures(seen), failures(seen)
    assert errors_status == 400
    # Everything typed comes back, unbroken (text inputs drop line breaks; textareas use \n).
    assert errors_values == {
        "name": echoed["name"].replace("\n", ""),
        "website": echoed["website"].replace("\n", ""),
        "body": echoed["body"].replace("\r\n", "\n"),
    }
    assert remember_status in (200, 400), remember_status
    if remember_status == 200:  # the name was taken: the next form holds what was typed
        stored = Comment.objects.get(email=remembered["email"])
        assert next_values["name"] == stored.name == remembered["name"]
        assert next_values["website"] == stored.website == remembered["website"]


@pytest.mark.browser
def test_the_checks_catch_a_payload_that_runs(live_server, browser):
    """The control: in these contexts an injected handler runs, and every check sees it."""
    paper = make_paper(title="A control")
    make_comment(paper, body="A comment to inject into.")
    paper_url = live_server.url + paper.get_absolute_url()
    origin = own_origin(live_server)

    def steps(page):
        watch = Watch(page, origin)
        watch.open(paper_url)
        clean = watch.report(roots=["#comments .comment-list"])
        page.evaluate("() => window.__xss(1)")  # payload 1 in a body
        page.evaluate(
            """() => document.querySelector(".comment-content").insertAdjacentHTML("beforeend",
              '<img src=x onerror="__xss(10002)">'
              + '<img src=x onerror="alert(20003)">'
              + '<a href=" java\\tscript:void(0)">x</a>'
              + '<p onmouseover="__xss(4)">hover</p>')"""
        )
        page.wait_for_timeout(SETTLE_MS)
        return clean, watch.report(roots=["#comments .comment-list"])

    clean, caught = browser.run(steps, bypass_csp=True)

    assert clean == []
    text = "\n".join(caught)
    assert f"ran: {which(1)}" in caught
    assert f"ran: {which(10002)}" in caught, text  # an injected handler ran: no CSP here
    assert any(p.startswith("dialog alert: 20003") for p in caught), text
    assert any(p.startswith("href javascript:") for p in caught), text
    assert any(p.startswith("handler onmouseover") for p in caught), text
    assert any(p.startswith("handler onerror") for p in caught), text
    assert any(p.startswith("element: <img") for p in caught), text


def test_corpus_has_over_a_hundred_payloads_in_every_class():
    texts = [payload.text() for payload in PAYLOADS]
    assert len(PAYLOADS) >= 100
    assert len(set(texts)) == len(texts), "a payload is repeated"
    assert set(KINDS) >= {
        "tag",
        "event-handler",
        "url-scheme",
        "encoding",
        "attribute-breakout",
        "context-breakout",
        "namespace",
        "nested-markdown",
        "link-title",
    }
    for payload in PAYLOADS:  # each would report itself, by number (or encoded)
        assert callable(payload.template) or str(payload.number) in payload.text(), payload
        assert "\x00" not in payload.text(), "PostgreSQL cannot store NUL"
