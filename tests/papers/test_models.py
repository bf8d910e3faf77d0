"""papers.models: names, addresses, who may see which paper, bylines and references."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from papers.models import Authorship, Paper, Reference
from tests.factories import make_edition, make_paper, make_person, make_stream, make_user
from tests.papers.references import NASLUND

pytestmark = pytest.mark.django_db


def _titles(queryset):
    return sorted(paper.title for paper in queryset)


@pytest.fixture
def papers():
    """One paper in each state a reader can meet, in one stream."""
    stream = make_stream(make_edition(slug="ed-models"), slug="groups")
    now = timezone.now()
    return {
        "published": make_paper(stream=stream, title="Published"),
        "draft": make_paper(stream=stream, title="Draft", status=Paper.Status.DRAFT),
        "scheduled": make_paper(
            stream=stream, title="Scheduled", published_on=now + datetime.timedelta(days=2)
        ),
        "old_draft": make_paper(
            stream=stream,
            title="Old draft",
            status=Paper.Status.DRAFT,
            published_on=now - datetime.timedelta(days=30),
        ),
    }


def test_edition_str_and_url_use_name_and_slug():
    edition = make_edition(name="Colloquy 2031", slug="colloquy-2031")
    assert str(edition) == "Colloquy 2031"
    assert edition.get_absolute_url() == "/editions/colloquy-2031/"


def test_stream_str_names_its_edition_and_url_nests_under_it():
    stream = make_stream(make_edition(name="Colloquy 2031", slug="c31"), name="Groups", slug="grp")
    assert str(stream) == "Groups (Colloquy 2031)"
    assert stream.get_absolute_url() == "/editions/c31/streams/grp/"


def test_person_str_and_url_use_display_name_and_slug():
    person = make_person("Ana Lima")
    assert str(person) == "Ana Lima"
    assert person.get_absolute_url() == f"/authors/{person.slug}/"
    assert person.get_absolute_url().startswith("/authors/author-")


def test_paper_str_and_url_use_title_and_edition_slug():
    stream = make_stream(make_edition(slug="c32"))
    paper = make_paper(stream=stream, title="Small groups keep people", slug="small-groups")
    assert str(paper) == "Small groups keep people"
    assert paper.get_absolute_url() == "/editions/c32/papers/small-groups/"


def test_related_objects_str():
    ana = make_person("Ana Lima")
    paper = make_paper(
        title="Groups",
        authors=[ana],
        sections=[("Introduction", "Text.")],
        references=[{"authors": "Tan, Y.", "year": "2021", "title": "A title"}],
    )
    assert str(paper.authorships.get()) == "Ana Lima on Groups"
    assert str(paper.sections.get()) == "Introduction"
    assert str(paper.references.get()) == "Tan, Y. (2021). A title"


def test_published_excludes_drafts_and_future_dates(papers):
    assert _titles(Paper.objects.published()) == ["Published"]


def test_visible_to_anonymous_visitor_is_published_only(papers):
    assert _titles(Paper.objects.visible_to(AnonymousUser())) == ["Published"]


def test_visible_to_signed_in_non_staff_user_is_published_only(papers):
    assert _titles(Paper.objects.visible_to(make_user())) == ["Published"]


def test_visible_to_staff_includes_drafts_and_scheduled_papers(papers):
    visible = Paper.objects.visible_to(make_user(staff=True))
    assert _titles(visible) == ["Draft", "Old draft", "Published", "Scheduled"]


def test_is_published_follows_status_and_date(papers):
    assert papers["published"].is_published
    assert not papers["draft"].is_published
    assert not papers["scheduled"].is_published
    assert not papers["old_draft"].is_published


def test_author_list_follows_position_not_creation_order():
    paper = make_paper(authors=[])
    ana, ben, cleo = make_person("Ana"), make_person("Ben"), make_person("Cleo")
    Authorship.objects.create(paper=paper, person=cleo, position=2)
    Authorship.objects.create(paper=paper, person=ana, position=0)
    Authorship.objects.create(paper=paper, person=ben, position=1)
    assert [p.display_name for p in paper.author_list] == ["Ana", "Ben", "Cleo"]


def test_author_list_uses_prefetched_authorships(django_assert_num_queries):
    make_paper(authors=[make_person("Ana"), make_person("Ben")])
    paper = Paper.objects.for_listing().get()
    with django_assert_num_queries(0):
        assert [p.display_name for p in paper.author_list] == ["Ana", "Ben"]


def test_paper_slug_is_unique_within_an_edition():
    stream = make_stream()
    make_paper(stream=stream, slug="same")
    other_edition_stream = make_stream()
    make_paper(stream=other_edition_stream, slug="same")  # another edition: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        make_paper(stream=stream, slug="same")


def test_reference_as_html_is_apa_with_doi_link():
    assert str(Reference(**NASLUND).as_html()) == (
        "Naslund, J. A., Aschbrenner, K. A., &amp; Bartels, S. J. (2016). Peer support on "
        "invented platforms. <i>Journal of Invented Studies</i>, <i>25</i>(2), 113–122. "
        '<a href="https://doi.org/10.5555/jis.2016.25">https://doi.org/10.5555/jis.2016.25</a>'
    )
