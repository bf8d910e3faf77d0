"""Running import_wxr in tests, as an organiser runs it, and reading what it made."""

import io
import json
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image

from comments.models import Comment, ModerationEvent
from papers.models import (
    Authorship,
    Edition,
    FigureImage,
    Paper,
    Person,
    Reference,
    Section,
    Stream,
)

WXR = Path(__file__).parent / "wxr"


@dataclass
class Run:
    out: str
    err: str
    error: CommandError | None

    @property
    def said(self):
        """All the command wrote, and the error it ended with."""
        return "\n".join([self.out, self.err, str(self.error or "")])


def import_wxr(source, *options, tmp_path=None):
    """import_wxr on a file of tests/wordpress/wxr/ (its name), a path, or bytes (written to
    tmp_path first). A CommandError is kept in the result, not raised."""
    if isinstance(source, bytes):
        path = tmp_path / "export.xml"
        path.write_bytes(source)
    elif isinstance(source, str):
        path = WXR / source
    else:
        path = source
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wxr", str(path), *map(str, options), stdout=out, stderr=err)
    except CommandError as error:
        return Run(out.getvalue(), err.getvalue(), error)
    return Run(out.getvalue(), err.getvalue(), None)


def png(size=(64, 48), colour=(40, 120, 200)):
    data = io.BytesIO()
    Image.new("RGB", size, colour).save(data, "PNG")
    return data.getvalue()


def uploads_dir(root, files):
    """A copy of a site's wp-content/uploads: {"2024/05/chart.png": bytes}."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def counts(media_root=None):
    """How many of each thing an import makes there are (and figure files on disk)."""
    made = {
        "editions": Edition.objects.count(),
        "streams": Stream.objects.count(),
        "papers": Paper.objects.count(),
        "sections": Section.objects.count(),
        "references": Reference.objects.count(),
        "authorships": Authorship.objects.count(),
        "persons": Person.objects.count(),
        "users": get_user_model().objects.count(),
        "comments": Comment.objects.count(),
        "events": ModerationEvent.objects.count(),
        "figures": FigureImage.objects.count(),
    }
    if media_root is not None:
        made["files"] = sum(1 for p in Path(media_root).rglob("*") if p.is_file())
    return made


def page(paper, client=None):
    """The paper's page as a reader gets it (a staff client for a draft)."""
    response = (client or Client()).get(paper.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def soup(html):
    return BeautifulSoup(html, "html.parser")


def shown_comments(html):
    """{comment id: how many levels deep the page draws it (1: top level)}."""
    shown = {}
    for item in soup(html).select("li.comment"):
        levels = 1 + sum(
            1
            for parent in item.parents
            if parent.name == "ol" and "children" in parent.get("class", [])
        )
        shown[int(item["id"].removeprefix("comment-"))] = levels
    return shown


def _is_own_metadata(tag):
    """The page's JSON-LD: a data block of the head whose whole text is JSON."""
    if tag.name != "script" or tag.get("type") != "application/ld+json":
        return False
    if tag.find_parent("head") is None:
        return False
    try:
        json.loads(tag.string or "")
    except ValueError:
        return False
    return True


def unsafe_markup(html):
    """What in this HTML could run or load something: scripts, frames, styles, handlers,
    javascript: addresses, images of other sites. The page's own scripts (from /static/), its
    scholarly metadata (JSON-LD in the head, data that never runs) and its comment form are
    not counted."""
    found = []
    for tag in soup(html).find_all(True):
        if tag.name == "script" and str(tag.get("src", "")).startswith("/static/"):
            continue
        if _is_own_metadata(tag):
            continue
        if tag.name == "form" and str(tag.get("action", "")).startswith("/"):
            continue  # the page's own comment form
        if tag.name in ("script", "iframe", "style", "object", "embed", "form", "svg"):
            found.append(str(tag)[:80])
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}=...>")
            if name in ("href", "src", "action", "formaction", "data") and (
                value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                found.append(f"<{tag.name} {name}={value[:40]}>")
            if name == "style":
                found.append(f"<{tag.name} style=...>")
        if tag.name == "img" and not str(tag.get("src", "")).startswith("/"):
            found.append(f"<img src={tag.get('src')}>")
    return found
