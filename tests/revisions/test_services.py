"""papers.revisions: a revision for each saved change, and sections' anchors kept across
renames."""

import pytest

from papers.importer import import_paper
from papers.revisions import paper_revised
from tests.factories import make_user
from tests.revisions.documents import document, imported

pytestmark = pytest.mark.django_db


def test_the_first_call_makes_revision_1_and_an_unchanged_paper_no_other():
    paper = imported()
    user = make_user()
    first = paper_revised(paper, user=user, note="  As   submitted ")
    assert (first.number, first.created_by, first.note) == (1, user, "As submitted")
    assert "## Methods" in first.document and "title: Maintainers and their care" in first.document
    assert paper_revised(paper, user=user) is None
    assert paper.revisions.count() == 1


def test_a_change_makes_the_next_revision():
    paper = imported()
    paper_revised(paper)
    import_paper(document(paper.stream, title="Maintainers, and the care they give"))
    second = paper_revised(paper, note="A clearer title")
    assert second.number == 2 and second.created_by is None
    assert "Maintainers, and the care they give" in second.document


def test_a_renamed_section_keeps_its_earlier_anchors():
    paper = imported()
    paper_revised(paper)
    renamed = [("Introduction", "Maintainers carry the load."), ("Methods and data", "Forty.")]
    import_paper(document(paper.stream, sections=renamed))
    paper_revised(paper)
    again = [("Introduction", "Maintainers carry the load."), ("What we did", "Forty.")]
    import_paper(document(paper.stream, sections=again))
    paper_revised(paper)
    intro, methods = paper.sections.all()
    assert (intro.anchor, intro.former_anchors) == ("introduction", [])
    assert methods.anchor == "what-we-did"
    assert methods.former_anchors == ["methods", "methods-and-data"]


def test_an_earlier_anchor_that_names_another_section_now_is_not_kept():
    paper = imported()
    paper_revised(paper)
    swapped = [("Methods", "We asked."), ("Introduction", "The load.")]
    import_paper(document(paper.stream, sections=swapped))
    paper_revised(paper)
    assert [s.former_anchors for s in paper.sections.all()] == [[], []]


def test_import_paper_the_command_and_the_demo_record_revisions(tmp_path):
    """Every saved change makes a revision, from the command line too; the same file again
    makes none."""
    from django.core.management import call_command

    from papers.models import Paper, PaperRevision
    from tests.factories import make_stream
    from tests.revisions.documents import document

    stream = make_stream()
    path = tmp_path / "paper.md"
    path.write_text(document(stream), encoding="utf-8")
    call_command("import_paper", str(path))
    call_command("import_paper", str(path))
    path.write_text(document(stream, title="Maintainers, and their care"), encoding="utf-8")
    call_command("import_paper", str(path))
    paper = Paper.objects.get()
    assert list(PaperRevision.objects.filter(paper=paper).values_list("number", "note")) == [
        (1, "imported from paper.md"),
        (2, "imported from paper.md"),
    ]

    call_command("load_demo")
    call_command("load_demo")
    demo = Paper.objects.exclude(pk=paper.pk)
    assert demo.exists()
    assert all(p.revisions.count() == 1 for p in demo)
