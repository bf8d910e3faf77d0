"""A revision's document read back into what a page shows of it, with nothing written: the
document is parsed as import_paper parses it (papers.importer.parse_paper) and its sections
rendered as papers.services.paper_render renders them (citations linked, figures drawn from
the paper's stored images, the same sanitiser), into objects that are never saved."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from common.names import name_as_shown
from papers.figures import figure_drawer
from papers.importer import parse_paper
from papers.models import Reference, Section, Stream
from papers.services import sections_render


@dataclass
class Version:
    """A paper as one of its revisions has it."""

    title: str
    thesis: str
    abstract: str
    authors: list  # names, as written
    stream: str
    published_on: date
    status: str
    sections: list = field(default_factory=list)  # papers.models.Section, never saved
    references: list = field(default_factory=list)  # papers.models.Reference, never saved


def _stream_name(paper, written):
    """The name of the stream the document names (by slug or name, as import_paper finds
    it) in the paper's edition; as written when it is no longer there."""
    stream = Stream.objects.filter(
        Q(slug=written) | Q(name__iexact=written), edition=paper.edition_id
    ).first()
    return stream.name if stream else written


def version_of(paper, document):
    """The paper as the document describes it, sections rendered; raises
    papers.importer.ImportProblem when the document does not read."""
    parsed = parse_paper(document)
    meta = parsed.meta
    sections = [Section(heading=heading, body=body) for _line, heading, body in parsed.sections]
    references = [Reference(**parts) for _line, parts in parsed.references]
    sections_render(sections, references, figure_drawer(paper))
    return Version(
        title=meta["title"],
        thesis=meta["thesis"],
        abstract=meta.get("abstract", ""),
        authors=[name for _line, name, _email in meta["authors"]],
        stream=_stream_name(paper, meta["stream"]),
        published_on=meta["date"],
        status=meta.get("status", "published"),
        sections=sections,
        references=references,
    )


def made_by(user):
    """Who saved a revision, as the site may show them: their author name, else their full
    name, else their username unless it is an e-mail address; never an e-mail address.
    "" when nobody is known (an import, or revision 1 of a paper made before revisions)."""
    if user is None:
        return ""
    try:
        name = user.person.display_name
    except ObjectDoesNotExist:
        name = user.get_full_name()
    name = name_as_shown(name)
    if not name and "@" not in user.get_username():
        name = name_as_shown(user.get_username())
    return name or ("An organiser" if user.is_staff else "An author")
