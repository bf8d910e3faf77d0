"""A paper's citation as a file: BibTeX, RIS or CSL-JSON, drafts for staff only."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from . import cite
from .selectors import paper_authors, readable_papers

FORMATS = {  # extension: (writer of the CSL item, content type)
    "bib": (cite.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (cite.ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (
        lambda item: json.dumps([item], ensure_ascii=False, indent=2) + "\n",
        "application/vnd.citationstyles.csl+json; charset=utf-8",
    ),
}


def paper_citation(request, edition, slug, extension):
    paper = get_object_or_404(readable_papers(request.user), edition__slug=edition, slug=slug)
    authors = paper_authors(paper)
    write, content_type = FORMATS[extension]
    response = HttpResponse(write(cite.paper_csl(paper, authors)), content_type=content_type)
    filename = f"{paper.edition.slug}-{paper.slug}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
