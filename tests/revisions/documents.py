"""Papers for the revision tests, written as the documents import_paper reads."""

from papers.importer import import_paper
from tests.factories import make_stream

REFERENCE = (
    "Naslund, J. A., Aschbrenner, K. A., Marsch, L. A., & Bartels, S. J. (2016). The future "
    "of mental health care. Epidemiology and Psychiatric Sciences, 25(2), 113–122."
)


def document(
    stream,
    *,
    title="Maintainers and their care",
    sections=None,
    status="published",
    thesis="Care work must be shared.",
    authors="Farah Siddiqui",
):
    """A paper's Markdown: sections are (heading, body) pairs; one reference at the end."""
    sections = sections or [
        ("Introduction", "Maintainers carry the load (Naslund et al., 2016)."),
        ("Methods", "We asked forty maintainers what they do."),
    ]
    parts = [
        "---",
        f"title: {title}",
        f"authors: {authors}",
        f"edition: {stream.edition.slug}",
        f"stream: {stream.slug}",
        "date: 2026-04-21",
        f"thesis: {thesis}",
        "slug: maintainers",
        f"status: {status}",
        "---",
        "",
    ]
    for heading, body in sections:
        parts += [f"## {heading}", "", body, ""]
    parts += ["## References", "", REFERENCE, ""]
    return "\n".join(parts)


def imported(stream=None, **options):
    """A paper imported from document(stream, **options); its stream made when not given."""
    stream = stream or make_stream()
    paper, _created = import_paper(document(stream, **options))
    return paper
