"""Fuzzing every address the site answers: no request parameter, anywhere, is a 500.

Every URL pattern of the resolver is filled with fuzzed path values (real ids and slugs,
values of the converter's own pattern, and nasty ones: Unicode digits, numbers beyond 64 bits,
NUL, invalid UTF-8 escapes, very long values) and sent with fuzzed query parameters (and, for
POST, form data), as a visitor, a signed-in author and a superuser; the admin's change lists
get the lookups their models allow. Each request runs in a savepoint rolled back after it, so
a database error (PostgreSQL's, mostly) cannot spill into the next example.
"""

import functools
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import example, given
from hypothesis import strategies as st

from authoring.models import Submission
from comments.models import Comment, ModerationReason, ModerationWord
from comments.personal_data import new_link
from comments.tokens import unsubscribe_token
from pages.models import Page
from papers.revisions import paper_revised
from tests.factories import make_comment, make_paper, make_person, make_stream, make_user
from tests.fuzzing import FUZZ, HUGE, Visitors, rolled_back

pytestmark = pytest.mark.django_db
Status = Comment.Status

# Values as they travel in an address, already percent-encoded: the known troublemakers.
NASTY = [
    "%00",
    "1%00",
    "%C2%B2",  # ²
    "%D9%A3",  # ٣ (Arabic-Indic three)
    "%EF%BC%91",  # fullwidth one
    HUGE,
    "-" + HUGE,
    "18446744073709551616",
    "9223372036854775808",
    "-1",
    "0",
    "1.5",
    "1e5",
    "9999",
    "10000",
    "%ff",
    "%ed%a0%80",  # a lone surrogate, as UTF-8 never writes one
    "%F0%9F%92%A9",
    "9" * 5000,
    "x" * 3000,
    "(",
    "%5B",
    "*",
    "%",
    "%25",
    "+",
    "",
    "2026-02-30",
    "99999-01-01",
    "true",
    "__",
]
# Placeholders for the ids, slugs and tokens of the test's objects (see the world fixture).
REAL_IDS = ["{paper_id}", "{closed_paper_id}", "{draft_paper_id}", "{comment_id}", "{pending_id}"]
REAL_SLUGS = ["{edition}", "{stream}", "{slug}", "{closed_slug}", "{draft_slug}", "{person}"]
REAL_TEXT = [
    *REAL_IDS,
    *REAL_SLUGS,
    "{user_id}",
    "{content_type_id}",
    "{token}",
    "{uidb64}",
    "{secret}",
]
REAL_BY_CONVERTER = {
    "IntConverter": REAL_IDS,
    "PageNumberConverter": ["2", "1"],
    "SlugConverter": REAL_SLUGS,
}
# Query parameters the site's pages and the admin read.
KEYS = [
    "replyto",
    "page",
    "next",
    "q",
    "o",
    "p",
    "e",
    "all",
    "_facets",
    "_popup",
    "_to_field",
    "_changelist_filters",
    "reason",
    "status__exact",
    "submitted_at__year",
    "submitted_at__month",
    "submitted_at__day",
    "published_on__year",
    "published_on__month",
    "date_joined__year",
    "paper__id__exact",
    "paper__edition__id__exact",
    "paper__stream__id__exact",
    "edition__id__exact",
    "id__in",
    "body__regex",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "user",
    "paper",
    "published_on",
    "action",
    "_selected_action",
    "index",
    "post",
    "select_across",
    "status",
    "body",
    "token",
    "parent",
]


def _encoded(text):
    return quote(text, safe="")


values = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(REAL_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=20).map(_encoded),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12).map(_encoded))
parameters = st.lists(st.tuples(keys, values), max_size=4).map(
    lambda pairs: "&".join(f"{key}={value}" for key, value in pairs)
)


def _url_patterns(resolver=None, prefix=()):
    """Every URL pattern of the site, as the chain of patterns that leads to it."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        chain = (*prefix, entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _url_patterns(entry, chain)
        else:
            yield chain


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _path_value(converter):
    kind = type(converter).__name__
    return st.one_of(
        st.sampled_from(REAL_BY_CONVERTER.get(kind, REAL_TEXT)),
        st.from_regex(converter.regex, fullmatch=True).map(_encoded),
        st.sampled_from(NASTY),
    )


def _piece(pattern):
    """Text that fills one pattern of a chain: its literal parts and fuzzed parameters."""
    if isinstance(pattern, RegexPattern):
        return st.from_regex(pattern._regex, fullmatch=True).map(lambda text: quote(text))
    route, parts, end = pattern._route, [], 0
    for match in ROUTE_PARAMETER.finditer(route):
        parts += [
            st.just(route[end : match.start()]),
            _path_value(pattern.converters[match["name"]]),
        ]
        end = match.end()
    parts.append(st.just(route[end:]))
    return st.tuples(*parts).map("".join)


PATTERNS = list(_url_patterns())
paths = st.sampled_from(PATTERNS).flatmap(
    lambda chain: st.tuples(*map(_piece, chain)).map(lambda pieces: "/" + "".join(pieces))
)


@st.composite
def requests(draw):
    """(method, who, address, form data): the address and data hold {placeholders}."""
    method = draw(st.sampled_from(["GET", "GET", "POST"]))
    who = draw(st.sampled_from(["visitor", "author", "admin"]))
    query = draw(parameters)
    body = draw(parameters) if method == "POST" else ""
    return method, who, draw(paths) + (f"?{query}" if query else ""), body


class World:
    """The objects the fuzzed requests name, and a signed-in session for each kind of user."""

    def __init__(self):
        author_user = make_user("fuzz-author", first_name="Ada", last_name="Quill")
        person = make_person("Ada Quill", user=author_user)
        stream = make_stream()
        paper = make_paper(stream=stream, authors=[person])
        closed = make_paper(stream=stream, comments_open=False)
        draft = make_paper(stream=stream, status="draft")
        comment = make_comment(paper)
        make_comment(paper, parent=comment)
        pending = make_comment(paper, status=Status.PENDING, body=comment.body + " again")
        ModerationReason.objects.create(
            comment=pending,
            check_name="near_duplicate",
            verdict="hold",
            message="near-duplicate",
            related_comment=comment,
        )
        make_comment(paper, status=Status.SPAM)
        paper_revised(paper)  # the revisions' pages: .../revisions/{number}/
        Submission.objects.create(paper=draft, submitted_by=author_user, document="# A draft")
        Page.objects.create(title="About", slug="about", body="About **us**.")
        ModerationWord.objects.create(phrase="casino", action=ModerationWord.Action.SPAM)
        superuser = make_user("fuzz-admin", superuser=True)
        self.values = {
            "edition": paper.edition.slug,
            "stream": stream.slug,
            "slug": paper.slug,
            "closed_slug": closed.slug,
            "draft_slug": draft.slug,
            "person": person.slug,
            "paper_id": paper.pk,
            "closed_paper_id": closed.pk,
            "draft_paper_id": draft.pk,
            "comment_id": comment.pk,
            "pending_id": pending.pk,
            "user_id": superuser.pk,
            "content_type_id": ContentType.objects.get_for_model(Comment).pk,
            "token": unsubscribe_token(comment),
            "secret": new_link(comment.email)[1],
            "uidb64": urlsafe_base64_encode(force_bytes(author_user.pk)),
            "reset_token": default_token_generator.make_token(author_user),
            "number": 1,
        }
        for model in admin.site._registry:
            first = model._default_manager.order_by("pk").first()
            key = f"pk_{model._meta.app_label}_{model._meta.model_name}"
            self.values[key] = first.pk if first else 1
        self.values["pk_comments_pendingcomment"] = pending.pk
        self.visitors = Visitors("visitor", author=author_user, admin=superuser)

    def client(self, who):
        return self.visitors.client(who)

    @functools.cached_property
    def forms(self):
        """The admin's add and change forms as their pages fill them, to post back altered."""
        forms = {}
        for address in ADMIN_FORMS:
            page = self.client("admin").get(self.fill(address))
            assert page.status_code == 200, address
            forms[address] = form_fields(page.content.decode())
        return forms

    def fill(self, text):
        return text.format_map(self.values)


@pytest.fixture
def world(db):
    return World()


def send(world, method, who, address, body=""):
    client = world.client(who)
    address, body = world.fill(address), world.fill(body)
    with rolled_back():
        if method == "GET":
            response = client.get(address)
        else:
            response = client.generic(
                "POST", address, body, content_type="application/x-www-form-urlencoded"
            )
    error = response.exc_info[1] if getattr(response, "exc_info", None) else None
    assert response.status_code < 500, f"{method} {address} {body!r} as {who}: {error!r}"
    return response


@FUZZ
@given(attempt=requests())
@example(attempt=("GET", "visitor", "/editions/{edition}/papers/{slug}/?replyto=%C2%B2", ""))
@example(attempt=("GET", "visitor", "/editions/{edition}/papers/{slug}/?replyto=%D9%A3", ""))
@example(
    attempt=("GET", "visitor", f"/editions/{{edition}}/papers/{{slug}}/?replyto={'9' * 5000}", "")
)
@example(attempt=("GET", "visitor", "/editions/{edition}/papers/{slug}/?replyto=%00", ""))
@example(attempt=("GET", "admin", "/admin/comments/comment/?reason=%00", ""))
@example(attempt=("GET", "admin", f"/admin/comments/comment/?submitted_at__year={HUGE}", ""))
@example(attempt=("GET", "admin", "/admin/comments/comment/?submitted_at__year=9999", ""))
@example(attempt=("GET", "admin", f"/admin/comments/pendingcomment/?submitted_at__year={HUGE}", ""))
@example(attempt=("GET", "admin", "/admin/comments/comment/%00/change/", ""))
@example(attempt=("GET", "admin", f"/admin/comments/comment/{HUGE}/change/", ""))
@example(attempt=("GET", "admin", "/admin/papers/paper/add/?published_on=x", ""))
@example(
    attempt=(
        "POST",
        "admin",
        "/admin/comments/comment/",
        "action=approve&_selected_action=%C2%B2&index=0",
    )
)
@example(
    attempt=(
        "POST",
        "visitor",
        "/comments/post/{paper_id}/",
        "body=a%00b&name=A&email=a@example.org",
    )
)
def test_no_address_or_parameter_is_a_server_error(world, attempt):
    send(world, *attempt)


class _FormFields(HTMLParser):
    """The name=value pairs a browser would post from a page's forms."""

    def __init__(self):
        super().__init__()
        self.pairs, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.pairs.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.pairs.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.pairs.append(tuple(self._textarea))
            self._textarea = None


def form_fields(html):
    parser = _FormFields()
    parser.feed(html)
    return [(name, value) for name, value in parser.pairs if "__prefix__" not in name]


# Comments are posted on the site, submissions sent in by their authors.
NO_ADD_PAGE = {"comments.comment", "comments.pendingcomment", "authoring.submission"}
ADMIN_FORMS = sorted(
    f"/admin/{meta.app_label}/{meta.model_name}/{page}"
    for meta in (model._meta for model in admin.site._registry)
    if meta.app_label != "django_tasks_database"  # task results: read-only, and none stored
    for page in ("add/", f"{{pk_{meta.app_label}_{meta.model_name}}}/change/")
    if not (page == "add/" and meta.label_lower in NO_ADD_PAGE)
)
# A field to alter: its name, or its position in the form (counted round).
alterations = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), values), min_size=1, max_size=3
)


@FUZZ
@given(form=st.tuples(st.sampled_from(ADMIN_FORMS), alterations))
@example(
    form=("/admin/papers/paper/{pk_papers_paper}/change/", [("authorships-0-person", "%C2%B2")])
)
@example(form=("/admin/papers/paper/{pk_papers_paper}/change/", [("authorships-0-person", HUGE)]))
@example(form=("/admin/papers/paper/{pk_papers_paper}/change/", [("authorships-0-person", "abc")]))
@example(form=("/admin/papers/person/add/", [("user", HUGE)]))
@example(
    form=("/admin/papers/paper/{pk_papers_paper}/change/", [("authorships-INITIAL_FORMS", HUGE)])
)
@example(form=("/admin/comments/comment/{pk_comments_comment}/change/", [("status", "%00")]))
def test_no_admin_form_posted_back_altered_is_a_server_error(world, form):
    """The admin's forms as their pages fill them, posted with a few fields changed."""
    address, changes = form
    pairs = [(name, quote(value, safe="")) for name, value in world.forms[address]]
    for field, value in changes:
        position = field % len(pairs) if isinstance(field, int) else None
        if position is None:
            position = next((i for i, (name, _) in enumerate(pairs) if name == field), None)
        if position is None:
            pairs.append((field, value))
        else:
            pairs[position] = (pairs[position][0], value)
    body = "&".join(
        f"{quote(name, safe='')}={value}" for name, value in [*pairs, ("_save", "Save")]
    )
    send(world, "POST", "admin", address, body)  # the page's values are quoted: no braces


def test_the_fuzz_reaches_every_url_pattern(world):
    """Each pattern once with real values and hostile parameters, so none is left to chance."""
    hostile = "&".join(
        f"{key}={value}"
        for key, value in zip(KEYS, [v for v in NASTY if "%00" not in v] * 2, strict=False)
    )
    answered = {}
    for chain in PATTERNS:
        address = _real_address(chain)
        answered[address] = send(world, "GET", "admin", address).status_code
        for who in ("admin",) if address.startswith("/admin/") else ("visitor", "admin"):
            send(world, "GET", who, f"{address}?{hostile}")
            send(world, "POST", who, address, hostile)
    # The real addresses reached real pages (the fuzz is not all "not found" or "sign in").
    assert answered["/admin/comments/comment/{pk_comments_comment}/change/"] == 200
    assert answered["/editions/{edition}/papers/{slug}/comments-page-2/"] == 404  # one page
    assert sum(status == 200 for status in answered.values()) > len(answered) / 2


def _real_address(chain):
    """The pattern's address with the world's objects in it."""
    address = "/"
    for pattern in chain:
        if isinstance(pattern, RegexPattern):
            address += "comments/" if "app_label" in pattern._regex else "no-such-page/"
            continue

        def value(match, route=address + pattern._route):
            name = match["name"]
            if name == "object_id" and (model := re.search(r"admin/(\w+)/(\w+)/", route)):
                return "{{pk_{}_{}}}".format(*model.groups())
            if route.startswith("/authors/"):
                return "{person}"
            if "reset/" in route:
                return {"uidb64": "{uidb64}", "token": "{reset_token}"}[name]
            return {
                "object_id": "{comment_id}",
                "id": "{user_id}",
                "pk": "{pk_authoring_submission}",  # /me/submissions/PK/
                "page": "2",
            }.get(name, f"{{{name}}}")

        address += ROUTE_PARAMETER.sub(value, pattern._route)
    return address


# The admin's change lists, with the lookups their models allow: every field with every lookup
# Django knows for it, the date hierarchy, the filters' own parameters, search, order, page.
LOOKUPS = [
    "",
    "__exact",
    "__iexact",
    "__gt",
    "__gte",
    "__lt",
    "__lte",
    "__in",
    "__range",
    "__contains",
    "__icontains",
    "__startswith",
    "__regex",
    "__iregex",
    "__isnull",
    "__year",
    "__month",
    "__day",
    "__week_day",
    "__iso_year",
    "__date",
    "__hour",
    "__year__gt",
    "__id__exact",
]
CHANGE_LISTS = sorted(
    (f"/admin/{model._meta.app_label}/{model._meta.model_name}/", model)
    for model in admin.site._registry
)


def _lookup_keys(model):
    names = [field.name for field in model._meta.get_fields() if field.concrete]
    return [*KEYS, *(f"{name}{lookup}" for name in names for lookup in LOOKUPS)]


change_list_requests = st.sampled_from(CHANGE_LISTS).flatmap(
    lambda entry: st.tuples(
        st.sampled_from(["GET", "GET", "POST"]),
        st.just(entry[0]),
        st.lists(st.tuples(st.sampled_from(_lookup_keys(entry[1])), values), max_size=4).map(
            lambda pairs: "&".join(f"{key}={value}" for key, value in pairs)
        ),
    )
)


@FUZZ
@given(change_list=change_list_requests)
@example(change_list=("GET", "/admin/comments/comment/", f"submitted_at__year={HUGE}"))
@example(
    change_list=(
        "GET",
        "/admin/comments/comment/",
        "submitted_at__year=9999&submitted_at__month=12",
    )
)
@example(change_list=("GET", "/admin/comments/comment/", "status__exact=%00"))
@example(change_list=("GET", "/admin/comments/comment/", "q=%00"))
@example(change_list=("GET", "/admin/comments/comment/", "body__regex=("))
@example(change_list=("GET", "/admin/comments/comment/", "sketch=abc"))
@example(change_list=("GET", "/admin/comments/comment/", f"id__in={HUGE}"))
@example(
    change_list=(
        "GET",
        "/admin/comments/comment/",
        f"_facets=1&paper__id__exact={HUGE}&body__regex=(",
    )
)
@example(change_list=("POST", "/admin/comments/comment/", f"_selected_action={HUGE}"))
@example(change_list=("GET", "/admin/comments/pendingcomment/", f"submitted_at__iso_year={HUGE}"))
@example(change_list=("GET", "/admin/papers/paper/", f"published_on__year={HUGE}"))
@example(change_list=("GET", "/admin/papers/edition/", f"starts_on__year={HUGE}"))
@example(change_list=("GET", "/admin/auth/user/", f"date_joined__year={HUGE}"))
def test_no_change_list_lookup_is_a_server_error(world, change_list):
    """GET: the list, filtered; POST: an action on the filtered list, or on fuzzed ids."""
    method, address, query = change_list
    body = f"action=delete_selected&index=0&{query}" if method == "POST" else ""
    send(world, method, "admin", f"{address}?{query}", body)
