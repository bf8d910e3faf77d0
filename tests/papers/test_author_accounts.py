"""papers.accounts: every author is a person with a user account; import_paper makes them."""

import pytest
from django.contrib.auth import get_user_model

from papers.accounts import author_account, author_person
from papers.importer import ImportProblem, import_paper
from papers.models import Person
from tests.factories import make_edition, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db

PAPER = """\
---
title: Small groups keep people
{authors}
edition: ed-accounts
stream: groups
date: 2026-04-21
thesis: Small groups keep people because members notice each other.
---

## Introduction

Groups help.
"""


@pytest.fixture
def edition():
    edition = make_edition(slug="ed-accounts")
    make_stream(edition, slug="groups")
    return edition


def _import(authors):
    return import_paper(PAPER.format(authors=authors))[0]


def test_author_person_same_name_twice_is_one_person_and_one_account():
    first = author_person("Ada Lovelace")
    again = author_person("ada  lovelace")
    assert first == again
    assert Person.objects.count() == 1 and get_user_model().objects.count() == 1


def test_author_person_made_has_an_account_without_usable_password():
    person = author_person("Ada Lovelace", email="ada@example.org")
    assert person.user.email == "ada@example.org"
    assert not person.user.has_usable_password()
    assert person.user.last_login is None


def test_author_person_by_email_finds_the_person_of_that_account():
    person = make_person("Augusta Ada King", user=make_user("ada", email="ada@example.org"))
    assert author_person("Ada Lovelace", email="ADA@example.org") == person


def test_author_person_by_email_takes_an_account_with_no_person():
    user = make_user("ada", email="ada@example.org")
    person = author_person("Ada Lovelace", email="ada@example.org")
    assert person.user == user and user.has_usable_password()


def test_author_account_username_collision_gets_a_suffix():
    make_user("ada-lovelace")
    make_user("ada-lovelace-2")
    assert author_person("Ada Lovelace").user.username == "ada-lovelace-3"


def test_author_person_slug_collision_gets_a_suffix_for_person_and_account():
    first, second = author_person("Ada Lovelace"), author_person("Ada-Lovelace")
    assert first != second
    assert (second.slug, second.user.username) == ("ada-lovelace-2", "ada-lovelace-2")


def test_author_account_adds_an_address_to_an_account_without_one():
    person = make_person("Ada Lovelace", user=make_user("ada", email=""))
    assert author_account(person, email="ada@example.org").email == "ada@example.org"


def test_import_paper_gives_each_author_an_account_without_usable_password(edition):
    paper = _import("authors: Ana Lima; Ben Okoro")
    users = [person.user for person in paper.author_list]
    assert [user.username for user in users] == ["ana-lima", "ben-okoro"]
    assert not any(user.has_usable_password() for user in users)
    assert [user.email for user in users] == ["", ""]


def test_import_paper_reads_an_authors_email(edition):
    paper = _import(
        "authors:\n  - {name: Ada Lovelace, email: ada@example.org}\n  - name: Ben Okoro"
    )
    ada, ben = paper.author_list
    assert ada.display_name == "Ada Lovelace" and ada.user.email == "ada@example.org"
    assert ben.user.email == ""


def test_import_paper_again_keeps_the_authors_accounts(edition):
    first = _import("authors: [{name: Ada Lovelace, email: ada@example.org}]").author_list[0]
    again = _import("authors: [{name: Ada Lovelace, email: ada@example.org}]").author_list[0]
    assert again == first and again.user == first.user
    assert get_user_model().objects.count() == 1


def test_import_paper_email_finds_the_existing_author(edition):
    person = make_person("Augusta Ada King", user=make_user("ada", email="ada@example.org"))
    paper = _import("authors: [{name: Ada Lovelace, email: ada@example.org}]")
    assert paper.author_list == [person]


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ("authors: [{name: Ada, email: not an address}]", "'not an address' is not an e-mail"),
        ("authors: [{name: Ada, email: [a@example.org]}]", "email in authors must be text"),
        (
            "authors: [{name: Ada, email: a@example.org}, {name: Ben, email: A@example.org}]",
            "'A@example.org' is listed twice among the authors",
        ),
    ],
)
def test_import_paper_refuses_a_bad_author_email(edition, authors, message):
    with pytest.raises(ImportProblem, match=message) as problem:
        _import(authors)
    assert problem.value.line == 3
    assert not Person.objects.exists()
