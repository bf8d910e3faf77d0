"""The CSL-JSON of a paper (papers/cite.py, and the cite.json download) against the official
CSL-JSON input schema, csl-data.json 1.0.2 (tests/papers/data/README says where it is from),
with jsonschema. The same validator must reject broken items: the test can fail."""

import copy
import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from papers import cite
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(__file__).parent / "data" / "csl-data.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)  # the schema itself is sound draft-07
    assert cls is jsonschema.Draft7Validator
    return cls(schema)


def errors(validator, data):
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def item_of(paper):
    return cite.paper_csl(paper, list(paper.authors.order_by("authorships__position")))


@pytest.fixture
def edition(settings):
    settings.COLLOQUY_SITE_URL = "https://colloquy.example"
    return make_edition(name="Colloquy 2026", slug="c-2026")


def paper_with(edition, authors, **fields):
    stream = make_stream(edition, slug=f"s-{fields['slug']}")
    defaults = {"published_on": datetime.datetime(2026, 4, 21, 9, tzinfo=datetime.UTC)}
    return make_paper(stream=stream, authors=[make_person(n) for n in authors], **defaults | fields)


KINDS = {
    "one author": (["Farah Siddiqui"], {}),
    "two authors": (["Farah Siddiqui", "Chidi Okafor"], {}),
    "many authors": ([f"Given{n} Family{n}" for n in range(25)], {}),
    "particles and non-Latin names": (
        [
            "Ludwig van Beethoven",
            "Jean-Paul de la Fontaine",
            "Zoë d'Arc",
            "李白",
            "Фёдор Достоевский",
            "نجيب محفوظ",
            "Plato",
        ],
        {},
    ),
    "no author": ([], {}),
    "no abstract": (["Farah Siddiqui"], {"abstract": ""}),
    "hostile text": (
        ["Zoë {Ann} </script> d'Arc"],
        {"title": 'Braces {a} "q" </script><b>x</b> & 50% $5 #1 a_b ~ ^ \\ Zoë'},
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_paper_csl_is_valid_csl_json(validator, edition, kind):
    authors, fields = KINDS[kind]
    slug = kind.replace(" ", "-")
    paper = paper_with(edition, authors, slug=slug, **{"abstract": "An abstract."} | fields)
    item = item_of(paper)
    assert len(item["author"]) == len(authors)
    assert ("abstract" in item) == bool(paper.abstract)
    assert errors(validator, [item]) == []


def test_paper_csl_with_a_doi_is_valid(validator, edition):
    paper = paper_with(edition, ["Farah Siddiqui"], slug="with-doi")
    paper.doi = "10.1234/abc.def"  # papers have no DOI field yet: papers/cite.py reads one
    item = item_of(paper)
    assert item["DOI"] == "10.1234/abc.def"
    assert errors(validator, [item]) == []


def test_future_paper_csl_is_valid(validator, edition, client):
    """A paper not yet due (shown to staff only): its date is in the future, still a date."""
    due = timezone.now() + datetime.timedelta(days=400)
    paper = paper_with(edition, ["Farah Siddiqui"], slug="future", published_on=due)
    item = item_of(paper)
    assert item["issued"]["date-parts"][0][0] >= due.year - 1
    assert errors(validator, [item]) == []
    client.force_login(make_user(staff=True))
    response = client.get(f"{paper.get_absolute_url()}cite.json")
    assert response.status_code == 200
    assert errors(validator, json.loads(response.content)) == []


def test_downloaded_csl_json_is_valid(validator, edition, client):
    """The cite.json download is a CSL-JSON array, valid as served."""
    authors = KINDS["particles and non-Latin names"][0]
    paper = paper_with(edition, authors, slug="download", abstract="An abstract.")
    response = client.get(f"{paper.get_absolute_url()}cite.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert isinstance(data, list) and len(data) == 1
    assert errors(validator, data) == []
    assert data[0]["type"] == "paper-conference"
    assert data[0]["author"][3] == {"family": "李白", "given": ""}


def broken(item, change):
    item = copy.deepcopy(item)
    change(item)
    return [item]


BREAKAGES = {
    "author as a string": lambda i: i.update(author="Farah Siddiqui"),
    "author name as an array": lambda i: i["author"][0].update(family=["Siddiqui"]),
    "unknown name part": lambda i: i["author"][0].update(surname="Siddiqui"),
    "unknown type": lambda i: i.update(type="conference-paper"),
    "no id": lambda i: i.pop("id"),
    "no type": lambda i: i.pop("type"),
    "unknown field": lambda i: i.update(authors=i["author"]),
    "date as a string of parts": lambda i: i.update(issued={"date-parts": "2026-04-21"}),
    "date with four parts": lambda i: i.update(issued={"date-parts": [[2026, 4, 21, 9]]}),
    "title as a number": lambda i: i.update(title=2026),
    "DOI as a list": lambda i: i.update(DOI=["10.1234/abc"]),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_validator_rejects_broken_items(validator, edition, breakage):
    item = item_of(paper_with(edition, ["Farah Siddiqui"], slug="broken"))
    assert errors(validator, [item]) == []
    assert errors(validator, broken(item, BREAKAGES[breakage])) != []


def test_validator_rejects_an_item_not_in_an_array(validator, edition):
    item = item_of(paper_with(edition, ["Farah Siddiqui"], slug="bare"))
    assert errors(validator, item) != []  # CSL-JSON is an array of items
