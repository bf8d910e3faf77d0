"""Loads the demo conference in demo/content/: the edition, its pages, its papers and their
discussions.

Papers go through the same importer as `manage.py import_paper`; comments are built by the
same service as posted ones and stored by comment_import as approved, each with the moderation
event that approved it, as a discussion that has been moderated.
The comments in moderation.toml are then posted through the moderation pipeline itself, so
the moderation queue has work in it, each comment held for the reasons the checks give.

Loading again refreshes the demo and nothing else (README: "Loading the demo again"):

- The edition, its streams, its pages (demo/content/pages: the edition's, and the site's
  with `site: true`) and the demo papers (found by slug) are written again from
  demo/content, which is their source: edits made to them in the admin are replaced. Other
  editions, and pages and papers that are not in demo/content, are not touched.
- Each demo comment carries the mark of its entry in Comment.form_token: "demo:thread:" or
  "demo:queue:" and a digest of who says it where (the paper, the chain of entries it
  replies to, the commenter, and which of that commenter's entries there it is), so entries
  added, removed or edited around it leave its mark alone. (A posted comment's form key is a
  bare hex digest: the two never meet.) Loading again finds it by that mark and updates it
  in place: same id, same place in its thread, text and commenter from the file, status kept
  (moderators decide that). A demo comment that is missing is made again; a marked comment
  whose entry has left demo/content is deleted, its replies moving up.
- Every other comment on the demo papers (people's comments, their replies to demo comments)
  is left as it is: never deleted, renumbered or edited. (A reply to a demo comment whose
  entry has left demo/content moves up a level, as when a moderator deletes a comment.)
- The queue's comments (moderation.toml) are posted once; while one exists, it is the
  moderators' and is left as it is.
- A database loaded before demo comments were marked: an unmarked comment that says exactly
  what a demo entry says, in the entry's place (same parent), is that entry's comment and is
  given its mark.

A demo file the importer rejects, or a queue comment the pipeline refuses, stops the load
with LoadRefused and nothing is changed (the whole load is one transaction).
"""

import datetime
import hashlib
import itertools
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from comments.models import Comment, normalize_email
from comments.services import (
    CommentRefused,
    Identity,
    comment_build,
    comment_create,
    comment_delete,
    comment_import,
    paper_discussion_changed,
)
from pages.models import Page
from papers.accounts import author_account
from papers.importer import ImportProblem, import_paper
from papers.models import Edition, Stream
from papers.revisions import paper_revised

CONTENT = Path(__file__).resolve().parent / "content"
DEMO_MARK = "demo:"  # every demo comment's form_token starts so
THREAD, QUEUE = "thread", "queue"  # a discussion file's comments; moderation.toml's
ENTRY_INTERVAL = datetime.timedelta(hours=7, minutes=13)  # between a file's entries


class LoadRefused(Exception):
    """The demo cannot be loaded as it stands; the message says what was found."""


@dataclass
class LoadReport:
    papers: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    created: int = 0  # demo comments made (first load, or missing ones)
    updated: int = 0  # demo comments whose text or commenter changed
    removed: int = 0  # demo comments whose entry has left demo/content
    posted: int = 0  # queue comments posted through the moderation pipeline
    others: int = 0  # comments on the demo papers that did not come from the demo


def demo_mark(kind, *place):
    """The mark of one demo comment: a digest of its paper and its place in demo/content."""
    digest = hashlib.sha256("/".join(map(str, place)).encode()).hexdigest()[:40]
    return f"{DEMO_MARK}{kind}:{digest}"


def _load_edition():
    data = tomllib.loads((CONTENT / "edition.toml").read_text(encoding="utf-8"))
    edition, _ = Edition.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "year": data["year"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "description": data["description"].strip(),
            "call_opens_on": data.get("call_opens_on"),
            "call_closes_on": data.get("call_closes_on"),
            "comments_close": data.get("comments_close", Edition.CommentsClose.NEVER),
            "comments_close_days": data.get("comments_close_days"),
        },
    )
    for position, stream in enumerate(data["streams"]):
        Stream.objects.update_or_create(
            edition=edition,
            slug=stream["slug"],
            defaults={
                "name": stream["name"],
                "description": stream["description"],
                "position": position,
            },
        )
    return edition


def _page_file(path):
    """A page file's front matter (YAML between "---" lines) and its Markdown."""
    text = path.read_text(encoding="utf-8")
    meta, end, body = text.removeprefix("---\n").partition("\n---\n")
    where = f"demo/content/pages/{path.name}"
    if not text.startswith("---\n") or not end:
        raise LoadRefused(f"{where}: the file must start with front matter between '---' lines.")
    meta = yaml.safe_load(meta) or {}
    if not isinstance(meta, dict) or not meta.get("title"):
        raise LoadRefused(f"{where}: the front matter must give the page's title.")
    return meta, body.strip()


def _load_pages(edition, report):
    """The demo's pages, published, each found by its slug (the file's name) and edition."""
    for path in sorted((CONTENT / "pages").glob("*.md")):
        meta, body = _page_file(path)
        page, _created = Page.objects.update_or_create(
            edition=None if meta.get("site") else edition,
            slug=path.stem,
            defaults={
                "title": meta["title"],
                "body": body,
                "position": meta.get("position", 0),
                "in_navigation": meta.get("in_navigation", True),
                "status": Page.Status.PUBLISHED,
            },
        )
        report.pages.append(page)


def _import(path):
    try:
        paper, _created = import_paper(path.read_text(encoding="utf-8"))
    except ImportProblem as problem:
        raise LoadRefused(f"demo/content/papers/{path.name}: {problem}") from problem
    return paper


def _author_accounts(paper):
    """Each author has an account (import_paper made it, with no password until an admin
    sets one or the author is invited); the demo gives it an address to sign replies with."""
    for person in paper.author_list:
        author_account(person, email=f"{person.slug}@example.org")


def _who(entry):
    """Who an entry is by, as the demo files say it: the paper's author, or an e-mail."""
    return "by_author" if entry.get("by_author") else normalize_email(entry["email"])


def _identity(paper, entry):
    if entry.get("by_author"):
        person = paper.author_list[0]
        return Identity(name=person.display_name, email=person.user.email, user=person.user)
    return Identity(entry["name"], entry["email"], entry.get("website", ""))


# What loading again sets on an existing demo comment (from its entry, as comment_build makes it).
UPDATED_FIELDS = [
    "name",
    "email",
    "website",
    "user_id",
    "by_paper_author",
    "body",
    "body_html",
    "text_hash",
    "sketch",
]


class _Discussion:
    """One demo paper's discussion file, laid over the comments the paper has."""

    def __init__(self, paper, report):
        self.paper, self.report = paper, report
        comments = paper.comments.all()
        thread = comments.filter(form_token__startswith=f"{DEMO_MARK}{THREAD}:")
        self.marked = {comment.form_token: comment for comment in thread}
        self.unmarked = list(comments.filter(form_token__isnull=True).order_by("id"))
        self.seen = set()
        # When each entry was posted, in the file's order (a reply right after what it replies
        # to): an interval apart from the paper's publication on, the same on every load.
        self.times = (paper.published_on + n * ENTRY_INTERVAL for n in itertools.count(1))

    def load(self, entries):
        self._thread(entries, parent=None, place=())
        for mark, comment in self.marked.items():
            if mark not in self.seen:
                comment_delete(comment)  # its entry left demo/content; replies move up
                self.report.removed += 1

    def _thread(self, entries, *, parent, place):
        said = Counter()
        for entry in entries:
            who = _who(entry)
            said[who] += 1
            here = (*place, f"{who}#{said[who]}")
            mark = demo_mark(THREAD, self.paper.slug, *here)
            self.seen.add(mark)
            submitted_at = next(self.times)
            identity = _identity(self.paper, entry)
            body = entry["body"].strip()
            comment = self.marked.get(mark) or self._adopt(mark, parent, body)
            if comment is None:
                comment = self._create(mark, identity, body, parent, submitted_at)
            else:
                self._update(comment, identity, body)
            self._thread(entry.get("replies", []), parent=comment, place=here)

    def _adopt(self, mark, parent, body):
        """An unmarked comment loaded before marks existed: the same text in the same place."""
        parent_id = parent.pk if parent else None
        for comment in self.unmarked:
            if comment.parent_id == parent_id and comment.body == body:
                self.unmarked.remove(comment)
                comment.form_token = mark
                comment.save(update_fields=["form_token"])
                self.marked[mark] = comment
                return comment
        return None

    def _create(self, mark, identity, body, parent, submitted_at):
        comment = comment_import(
            paper=self.paper,
            identity=identity,
            body=body,
            parent=parent,
            status=Comment.Status.APPROVED,
            submitted_at=submitted_at,
            reason="loaded with the demo conference",
            form_token=mark,
        )
        self.report.created += 1
        return comment

    def _update(self, comment, identity, body):
        """Text (rendered again) and commenter from the file; id, place, time, status stay."""
        fresh = comment_build(paper=self.paper, identity=identity, body=body)
        changed = [
            name
            for name in UPDATED_FIELDS
            if getattr(comment, name) != getattr(fresh, name)
            and not (name == "sketch" and bytes(comment.sketch) == bytes(fresh.sketch))
        ]
        if not changed:
            return
        for name in changed:
            setattr(comment, name, getattr(fresh, name))
        comment.save(update_fields=changed)
        self.report.updated += 1


def _load_discussion(paper, report):
    path = CONTENT / "discussions" / f"{paper.slug}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    _Discussion(paper, report).load(data.get("comments", []))
    paper_discussion_changed(paper)


def _post_submissions(papers, report):
    """Post moderation.toml's comments through the pipeline, as a visitor would, once."""
    data = tomllib.loads((CONTENT / "moderation.toml").read_text(encoding="utf-8"))
    by_slug = {paper.slug: paper for paper in papers}
    said = Counter()
    for entry in data["submissions"]:
        paper = by_slug[entry["paper"]]
        said[paper.slug, _who(entry)] += 1
        mark = demo_mark(QUEUE, paper.slug, _who(entry), said[paper.slug, _who(entry)])
        identity, body = _identity(paper, entry), entry["body"].strip()
        if Comment.objects.filter(form_token=mark).exists():
            continue
        earlier = paper.comments.filter(
            form_token__isnull=True, email=normalize_email(identity.email), body=body
        ).first()
        if earlier is not None:  # posted by a load from before the marks
            earlier.form_token = mark
            earlier.save(update_fields=["form_token"])
            continue
        parent = None
        if email := entry.get("in_reply_to"):
            demo_comments = paper.comments.filter(form_token__startswith=DEMO_MARK)
            parent = demo_comments.filter(email=email).order_by("-submitted_at").first()
        try:
            comment_create(paper=paper, identity=identity, body=body, parent=parent, key=mark)
        except CommentRefused as refused:
            raise LoadRefused(
                f"The moderation pipeline refused the demo's comment by {identity.name} on "
                f"“{paper.title}”: {refused}"
            ) from refused
        report.posted += 1


@transaction.atomic
def load_demo():
    """Create or refresh the demo edition (see the module's docstring); returns a LoadReport."""
    report = LoadReport()
    _load_pages(_load_edition(), report)
    for path in sorted((CONTENT / "papers").glob("*.md")):
        paper = _import(path)
        _author_accounts(paper)
        paper_revised(paper, note="the demo's text")  # a revision when the file says anew
        _load_discussion(paper, report)
        report.papers.append(paper)
    _post_submissions(report.papers, report)
    report.others = (
        Comment.objects.filter(paper__in=report.papers)
        .exclude(form_token__startswith=DEMO_MARK)
        .count()
    )
    return report
