"""Request parameters the site cannot use: a 4xx or an empty result, never a 500.

One test for each case that was a 500 (on SQLite, PostgreSQL or both) and for the rest of its
class, on the database the suite runs on; conference/hardening.py and the reply link's reading
(comments.templatetags.discussion._reply_target) are what they test. The fuzzing is in
tests/project/test_fuzz_urls.py and tests/comments/test_fuzz_form.py.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client

from comments.models import Comment, ModerationReason
from conference.hardening import HardenedAdminMixin, HardenedFormFieldsMixin
from tests.factories import make_comment, make_paper, make_person

pytestmark = pytest.mark.django_db
Status = Comment.Status
HUGE = "99999999999999999999"


@pytest.fixture
def browser():
    """A client that shows a 500 as a status instead of raising the view's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def admin_browser(browser, admin_user):
    browser.force_login(admin_user)
    return browser


@pytest.fixture
def comment():
    comment = make_comment(make_paper(authors=[make_person("Ana Lima")]), status=Status.PENDING)
    ModerationReason.objects.create(
        comment=comment, check_name="links", verdict="hold", message="contains 3 links"
    )
    return comment


def _reply_parent(html):
    return re.search(r'name="parent"(?: value="([^"]*)")?', html)[1]


# The paper page's ?replyto=ID


@pytest.mark.parametrize(
    "replyto",
    ["%C2%B2", "%D9%A3", "%EF%BC%91", HUGE, "-1", "9" * 5000, "%ff", "%ed%a0%80", "1x", ""],
)
def test_a_reply_link_that_names_no_comment_shows_the_plain_form(browser, replyto):
    paper = make_paper()
    make_comment(paper)  # perhaps comment 1: the fullwidth "1" must not name it
    response = browser.get(f"{paper.get_absolute_url()}?replyto={replyto}")
    assert response.status_code == 200
    assert not _reply_parent(response.content.decode())


def test_a_reply_link_still_names_its_comment(browser):
    comment = make_comment(make_paper())
    response = browser.get(f"{comment.paper.get_absolute_url()}?replyto={comment.pk}")
    assert _reply_parent(response.content.decode()) == str(comment.pk)


# NUL characters: refused before any view runs


@pytest.mark.parametrize(
    "address",
    [
        "/?page=%00",
        "/comments/%00/",
        "/accounts/login/?next=%00",
        "/editions/x/papers/y/?replyto=%00",
        "/admin/comments/comment/?q=%00",
        "/admin/comments/comment/%00/change/",
        "/admin/autocomplete/?app_label=papers&model_name=authorship&field_name=person&term=%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(admin_browser, address):
    assert admin_browser.get(address).status_code == 400


@pytest.mark.parametrize("multipart", [False, True])
def test_a_nul_character_in_form_data_is_a_bad_request_and_stores_nothing(browser, multipart):
    paper = make_paper()
    data = {"name": "Rosa", "email": "rosa@example.net", "body": "Hello\x00there", "token": "x"}
    if multipart:
        response = browser.post(f"/comments/post/{paper.pk}/", data)
    else:
        body = "name=Rosa&email=rosa%40example.net&body=Hello%00there&token=x"
        response = browser.generic(
            "POST", f"/comments/post/{paper.pk}/", body, "application/x-www-form-urlencoded"
        )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_cookie_with_a_nul_character_is_ignored(browser):
    """PostgreSQL: a session key of NULs (sessionid="\\000...") was a DataError on every page."""
    paper = make_paper()
    response = browser.get(paper.get_absolute_url(), HTTP_COOKIE='sessionid="' + r"\000" * 32 + '"')
    assert response.status_code == 200


# The admin's change lists


@pytest.mark.parametrize(
    "query",
    [
        f"submitted_at__year={HUGE}",  # OverflowError in the date hierarchy
        "submitted_at__year=9999",  # ValueError: year 10000 is out of range
        "submitted_at__year=9999&submitted_at__month=12",  # OverflowError: date out of range
        f"submitted_at__year__gt={HUGE}",  # OverflowError as the query is built
        f"submitted_at__iso_year={HUGE}",  # ValueError as the query is built
        "body__regex=(",  # an invalid regular expression: the database's error
        "sketch=abc",  # a string for a binary field: TypeError
        "parent__range=1",  # IndexError as the query is built
        f"_facets=1&paper__id__exact={HUGE}&body__regex=(",  # the facet counts' query
    ],
)
def test_a_lookup_that_fails_in_the_query_is_a_bad_lookup(admin_browser, comment, query):
    response = admin_browser.get(f"/admin/comments/comment/?{query}")
    assert response.status_code == 302
    assert response["Location"] == "/admin/comments/comment/?e=1"


@pytest.mark.parametrize(
    "address",
    [
        f"/admin/comments/pendingcomment/?submitted_at__year={HUGE}",
        f"/admin/papers/paper/?published_on__year={HUGE}",
        "/admin/papers/paper/?published_on__year=9999&published_on__month=12",
        f"/admin/papers/edition/?starts_on__year={HUGE}",
        f"/admin/auth/user/?date_joined__year={HUGE}",
        f"/admin/django_tasks_database/dbtaskresult/?enqueued_at__year={HUGE}",
    ],
)
def test_every_change_list_answers_a_failing_lookup_so(admin_browser, comment, address):
    response = admin_browser.get(address)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "query",
    [
        f"id__gt={HUGE}",
        f"paper__id__exact={HUGE}",
        "paper__id__exact=%C2%B2",
        f"o={HUGE}",
        f"p={HUGE}",
        "p=%C2%B2",
        f"q={'x' * 3000}",
    ],
)
def test_a_lookup_no_row_can_match_is_an_empty_or_unfiltered_list(admin_browser, comment, query):
    assert admin_browser.get(f"/admin/comments/comment/?{query}").status_code == 200


def test_a_list_of_ids_beyond_the_column_is_empty_or_a_bad_lookup(admin_browser, comment):
    """PostgreSQL compares them and finds nothing; SQLite cannot take them (OverflowError)."""
    response = admin_browser.get(f"/admin/comments/comment/?id__in={HUGE},{comment.pk}")
    assert response.status_code == 200 or response["Location"].endswith("?e=1")


def test_lookups_that_work_still_filter_and_count(admin_browser, comment):
    make_comment(comment.paper, name="Shown Person")
    year = comment.submitted_at.year
    html = admin_browser.get(f"/admin/comments/comment/?submitted_at__year={year}").content
    assert comment.name in html.decode()
    html = admin_browser.get("/admin/comments/comment/?_facets=1&status__exact=pending").content
    html = html.decode()
    assert comment.name in html and "Shown Person" not in html
    assert "Pending (1)" in html and "Approved (1)" in html  # the counts computed beforehand
    html = admin_browser.get("/admin/comments/comment/?reason=links").content.decode()
    assert comment.name in html and "Shown Person" not in html


# The admin's other pages


@pytest.mark.parametrize("object_id", [HUGE, "%C2%B2", "-1"])
def test_an_object_id_no_row_can_have_is_not_found(admin_browser, object_id):
    for page in ("change", "history", "delete"):
        response = admin_browser.get(f"/admin/comments/comment/{object_id}/{page}/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize("value", ["x", HUGE, "2026-13-45", ""])
def test_an_add_form_prefilled_with_an_unreadable_value_leaves_it_out(admin_browser, value):
    response = admin_browser.get(f"/admin/papers/paper/add/?published_on={value}&title=Kept")
    assert response.status_code == 200
    assert 'value="Kept"' in response.content.decode()


def test_an_add_form_prefilled_with_a_readable_value_shows_it(admin_browser):
    response = admin_browser.get("/admin/papers/paper/add/?published_on=2026-04-01")
    assert 'value="2026-04-01"' in response.content.decode()


@pytest.mark.parametrize("selected", ["%C2%B2", HUGE, "-" + HUGE, "abc", "1.5"])
def test_an_action_on_ids_no_comment_can_have_is_a_bad_request(admin_browser, comment, selected):
    body = f"action=approve&index=0&_selected_action={selected}&_selected_action={comment.pk}"
    response = admin_browser.generic(
        "POST", "/admin/comments/comment/", body, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


@pytest.mark.parametrize("person", ["%C2%B2", "abc", HUGE])
def test_an_unreadable_author_in_the_paper_form_is_a_form_error(admin_browser, person):
    """The authors' autocomplete looked the posted person up unread (ValueError; SQLite's
    OverflowError for 10**20)."""
    paper = make_paper(authors=[make_person("Ana Lima")])
    authorship = paper.authorships.get()
    page = admin_browser.get(f"/admin/papers/paper/{paper.pk}/change/").content.decode()
    published = re.findall(r'name="published_on_\d" value="([^"]+)"', page)
    body = (
        f"edition={paper.edition_id}&stream={paper.stream_id}&title=T&slug={paper.slug}"
        f"&thesis=T&status=published&published_on_0={published[0]}"
        f"&published_on_1={published[1]}&comments_open=on"
        "&authorships-TOTAL_FORMS=1&authorships-INITIAL_FORMS=1"
        f"&authorships-0-id={authorship.pk}&authorships-0-paper={paper.pk}"
        f"&authorships-0-person={person}&authorships-0-position=0"
        "&sections-TOTAL_FORMS=0&sections-INITIAL_FORMS=0"
        "&references-TOTAL_FORMS=0&references-INITIAL_FORMS=0&_save=Save"
    )
    response = admin_browser.generic(
        "POST", f"/admin/papers/paper/{paper.pk}/change/", body, "application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    paper.refresh_from_db()
    assert paper.title != "T"


def test_a_permission_id_no_row_can_have_is_a_form_error(admin_browser):
    """The groups' and users' permission lists checked the posted ids in one `pk__in` query:
    SQLite's OverflowError for 10**20."""
    group = Group.objects.get(name="Moderators")
    response = admin_browser.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": "Renamed", "permissions": [HUGE], "_save": "Save"},
    )
    assert response.status_code == 200
    assert "is not a valid value" in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Moderators"


def test_every_admin_and_inline_of_the_site_is_hardened():
    """New admins inherit HardenedModelAdmin; other apps' are wrapped by harden_admin_site."""
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, HardenedAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, HardenedFormFieldsMixin), (model, inline)
