"""Importing a WordPress export: posts as papers, their comment threads as discussions.

Each post is written in a transaction of its own, so a post that fails leaves the others
imported, and the report says which failed and why. What an import made is remembered by
the site's address and WordPress's ids (wordpress.models), so importing the same export
again updates it in place: nothing is made twice, and what did not change is not written.
Imported comments notify nobody and skip the spam checks; each gets the moderation event
that says it was imported.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from comments.models import Comment, ModerationEvent, normalize_email
from comments.services import (
    Identity,
    body_fields,
    comment_build,
    comments_import,
    paper_discussion_changed,
)
from common.bulk import insert_rows
from common.images import NotAnImage
from common.names import NO_NAME, clean_name
from papers.accounts import author_person
from papers.figures import figure_image_store
from papers.models import Authorship, Edition, FigureImage, Paper, Reference, Section, Stream
from papers.services import paper_render

from .content import comment_markdown, post_body
from .models import ImportedAuthor, ImportedComment, ImportedPost
from .wxr import Author, Category, Channel, Post, read_wxr

Status = Comment.Status
COMMENT_STATUS = {"1": Status.APPROVED, "0": Status.PENDING, "spam": Status.SPAM}
PUBLISHED = {"publish", "future"}  # future: scheduled; published_on says when
DRAFTS = {"draft", "pending", "private"}
COMMENT_TYPES = {"", "comment"}
REIMPORTED = "imported again from WordPress"
ANALYZE_FROM = 10_000  # comments: an import this large changes the tables' statistics


def _text(html):
    """The text WordPress means: without tags, its entities read (it stores names and titles
    HTML-escaped: "News &amp; Events"). Django's strip_tags is slow, and most text has none."""
    return html_unescape(strip_tags(html)) if "<" in html or "&" in html else html


def _analyze():
    """Fresh statistics for the query planner after a bulk load (PostgreSQL's autovacuum
    gets there in its own time, SQLite only on ANALYZE): the discussion's queries are
    planned by them."""
    tables = [model._meta.db_table for model in (Comment, ModerationEvent, ImportedComment)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            cursor.execute("ANALYZE")


def _stream_slug(nicename, name):
    """The category's slug in the letters a URL's slug may hold; one that has none (a name
    in Chinese, say) is named by a digest of it, so that two such categories stay apart."""
    limit = _limit(Stream, "slug")
    slug = slugify(unquote(nicename))[:limit].strip("-") or slugify(name)[:limit].strip("-")
    if slug:
        return slug
    return "stream-" + hashlib.sha256((nicename or name).encode()).hexdigest()[:12]


def _limit(model, name):
    return model._meta.get_field(name).max_length


@dataclass
class ImportReport:
    papers: Counter = field(default_factory=Counter)  # created, updated, unchanged
    comments: Counter = field(default_factory=Counter)  # (created|updated|unchanged, status)
    skipped: Counter = field(default_factory=Counter)  # kind of item or comment → count
    missing_parents: list = field(default_factory=list)  # (post id, comment id, parent id)
    unread_references: list = field(default_factory=list)  # (post title, text)
    missing_images: list = field(default_factory=list)  # (post title, address, why)
    failed: list = field(default_factory=list)  # (post id, title, why)
    edition: Edition | None = None

    def add(self, part):
        """Take in what one post's import found, once it has committed."""
        for name in ("papers", "comments", "skipped"):
            getattr(self, name).update(getattr(part, name))
        for name in ("missing_parents", "unread_references", "missing_images"):
            getattr(self, name).extend(getattr(part, name))


class WordPressImport:
    """One run of import_wxr: reads the export and writes what it holds."""

    def __init__(self, *, edition=None, uploads=None):
        self.edition_slug, self.uploads = edition, Path(uploads).resolve() if uploads else None
        self.report = ImportReport()
        self.site, self.authors, self.author_ids, self.categories = "", {}, {}, {}
        self.people = {}  # login → Person
        self.created_edition = False

    def run(self, stream, *, progress=None):
        for thing in read_wxr(stream, progress=progress):
            if isinstance(thing, Channel):
                self._channel(thing)
            elif isinstance(thing, Author):
                self.authors[thing.login] = thing
                if thing.id is not None:
                    self.author_ids[thing.id] = thing.login
            elif isinstance(thing, Category):
                self.categories[thing.nicename] = thing
            elif isinstance(thing, Post):
                self._item(thing)
        self._date_new_edition()
        if sum(self.report.comments.values()) >= ANALYZE_FROM:
            _analyze()
        return self.report

    # The channel: which site, and which edition its posts go to.

    def _channel(self, channel):
        self.site = channel.site
        slug = self.edition_slug or slugify(channel.title)[:50].strip("-") or "wordpress"
        edition = Edition.objects.filter(slug=slug).first()
        if edition is None:
            today = timezone.localdate()
            name = clean_name(_text(channel.title)) or slug
            edition = Edition.objects.create(
                name=name[: _limit(Edition, "name")],
                slug=slug,
                year=today.year,
                starts_on=today,
                ends_on=today,
                description=_text(channel.description),
            )
            self.created_edition = True
        self.report.edition = self.edition = edition

    def _date_new_edition(self):
        """An edition this import made runs from its first paper's day to its last's."""
        if not self.created_edition:
            return
        dates = [
            timezone.localdate(moment)
            for moment in self.edition.papers.values_list("published_on", flat=True)
        ]
        if dates:
            self.edition.starts_on, self.edition.ends_on = min(dates), max(dates)
            self.edition.year = self.edition.starts_on.year
            self.edition.save(update_fields=["starts_on", "ends_on", "year"])

    # Posts.

    def _item(self, post):
        if post.type != "post":
            self.report.skipped[post.type] += 1
            return
        if post.status not in PUBLISHED | DRAFTS:  # trash, auto-draft, inherit
            self.report.skipped[f"post ({post.status})"] += 1
            return
        whole, self.report = self.report, ImportReport()  # this post's findings, kept if it commits
        try:
            with transaction.atomic():
                self._post(post)
        except Exception as error:  # reported, and the next post goes on
            self.people.clear()  # a person made for this post was rolled back with it
            whole.failed.append((post.id, post.title, f"{type(error).__name__}: {error}"))
        else:
            whole.add(self.report)
        finally:
            self.report = whole

    def _post(self, post):
        imported = ImportedPost.objects.filter(site=self.site, wp_id=post.id).first()
        digest = self._digest(post)
        if imported is not None and imported.digest == digest:
            self.report.papers["unchanged"] += 1
            CommentImport(self, imported.paper, post, self._paper_authors(post)).run()
            return
        paper = imported.paper if imported else Paper(edition=self.edition)
        paper.stream = self._stream(post.categories)
        paper.title = clean_name(_text(post.title))[: _limit(Paper, "title")] or f"Post {post.id}"
        paper.slug = self._slug(post, paper)
        paper.thesis = " ".join(_text(post.excerpt).split())
        paper.abstract = post.meta.get("_colloquy_abstract", "")
        paper.published_on = post.date or timezone.now()
        paper.status = Paper.Status.PUBLISHED if post.status in PUBLISHED else Paper.Status.DRAFT
        paper.comments_open = post.comment_status != "closed"
        self.report.papers["updated" if paper.pk else "created"] += 1
        paper.save()
        ImportedPost.objects.update_or_create(
            site=self.site, wp_id=post.id, defaults={"paper": paper, "digest": digest}
        )
        authors = self._paper_authors(post)
        self._write_body(paper, post)
        paper.authorships.all().delete()
        Authorship.objects.bulk_create(
            Authorship(paper=paper, person=person, position=position)
            for position, person in enumerate(authors)
        )
        paper_render(paper)
        CommentImport(self, paper, post, authors).run()

    def _digest(self, post):
        """What the paper is made of in this post (and where its images come from)."""
        made_of = [
            post.title,
            post.content,
            post.excerpt,
            post.status,
            post.name,
            post.date.isoformat() if post.date else "",
            post.comment_status,
            post.creator,
            post.categories,
            sorted(post.meta.items()),
            str(self.uploads or ""),
        ]
        return hashlib.sha256(json.dumps(made_of).encode()).hexdigest()

    def _stream(self, categories):
        nicename, name = categories[0] if categories else ("uncategorized", "Uncategorized")
        category = self.categories.get(nicename)
        name = clean_name(_text(category.name if category else name)) or nicename
        slug = _stream_slug(nicename, name)
        stream, _ = Stream.objects.get_or_create(
            edition=self.edition,
            slug=slug or "uncategorized",
            defaults={
                "name": name[: _limit(Stream, "name")] or "Uncategorized",
                "description": _text(category.description) if category else "",
            },
        )
        return stream

    def _slug(self, post, paper):
        limit = _limit(Paper, "slug")
        base = slugify(unquote(post.name))[:limit].strip("-")
        base = base or slugify(post.title)[:limit].strip("-") or f"post-{post.id}"
        taken = Paper.objects.filter(edition=self.edition).exclude(pk=paper.pk)
        slug, n = base, 2
        while taken.filter(slug=slug).exists():
            suffix = f"-{n}"
            slug, n = base[: limit - len(suffix)].rstrip("-") + suffix, n + 1
        return slug

    def _paper_authors(self, post):
        """The post's authors in order: Colloquy's own export lists them all in a postmeta,
        WordPress knows one."""
        try:
            logins = json.loads(post.meta.get("_colloquy_authors", "[]"))
        except ValueError:
            logins = []
        if not isinstance(logins, list) or not all(isinstance(x, str) for x in logins):
            logins = []
        people = []
        for login in logins or [post.creator or "unknown"]:
            person = self._person(login)
            if person not in people:
                people.append(person)
        return people

    def _person(self, login):
        if login in self.people:
            return self.people[login]
        imported = ImportedAuthor.objects.filter(site=self.site, login=login).first()
        if imported is not None:
            person = imported.person
        else:
            author = self.authors.get(login) or Author(None, login, "", login)
            person = author_person(clean_name(_text(author.name)) or NO_NAME, email=author.email)
            ImportedAuthor.objects.create(
                site=self.site, login=login[: _limit(ImportedAuthor, "login")], person=person
            )
        self.people[login] = person
        return person

    def _write_body(self, paper, post):
        body = post_body(post.content, base=self.site)
        heading_limit = _limit(Section, "heading")
        paper.sections.all().delete()
        Section.objects.bulk_create(
            Section(paper=paper, position=position, heading=heading[:heading_limit], body=text)
            for position, (heading, text) in enumerate(body.sections)
        )
        paper.references.all().delete()
        references = [Reference(**parts) for parts in body.references]
        references += [Reference(text=text) for text in body.unread_references]
        for position, reference in enumerate(references):
            reference.paper, reference.position = paper, position
        Reference.objects.bulk_create(references)
        self.report.unread_references += [(post.title, t) for t in body.unread_references]
        self._figures(paper, post, body.figures)

    def _figures(self, paper, post, figures):
        stored = set()
        for figure in figures:
            if not figure.address or figure.address in stored:
                continue
            why = self._store_figure(paper, figure.address)
            if why:
                self.report.missing_images.append((post.title, figure.address, why))
            else:
                stored.add(figure.address)
        FigureImage.objects.filter(paper=paper).exclude(name__in=stored).delete()

    def _store_figure(self, paper, address):
        """Copy the figure's file from --uploads; why not, when it cannot be."""
        if self.uploads is None:
            return "no --uploads directory was given; kept as a link"
        path = self._upload(address)
        if path is None:
            return "not found in the uploads directory; kept as a link"
        try:
            figure_image_store(paper, address[: _limit(FigureImage, "name")], path.read_bytes())
        except NotAnImage as error:
            return f"{error}; kept as a link"
        return ""

    def _upload(self, address):
        """The file under --uploads that the address names: the part after wp-content/uploads/
        (or after this site's MEDIA_URL, for a Colloquy export), or the whole path when the
        directory is a copy of the site; never outside the directory."""
        path = unquote(urlsplit(address).path)
        media = urlsplit(settings.MEDIA_URL).path
        candidates = [
            path.split(marker, 1)[1]
            for marker in ("/wp-content/uploads/", "/uploads/", media)
            if marker in path
        ]
        for relative in [*candidates, path, Path(path).name]:  # path: --uploads is the site
            candidate = (self.uploads / relative.lstrip("/")).resolve()
            if candidate.is_relative_to(self.uploads) and candidate.is_file():
                return candidate
        return None


class CommentImport:
    """A post's comments: new ones stored in bulk, parents first; known ones updated where
    WordPress says something else; the thread kept exactly as WordPress has it."""

    def __init__(self, run, paper, post, authors):
        self.run_, self.paper, self.post, self.site = run, paper, post, run.site
        self.report = run.report
        self.author_users = {person.user_id: person.user for person in authors}
        self.author_logins = {login for login, p in run.people.items() if p in authors}
        self.author_emails = {p.user.email.lower() for p in authors if p.user and p.user.email}

    def run(self):
        comments = []
        for wp in self.post.comments:
            if wp.type in COMMENT_TYPES:
                comments.append(wp)
            else:
                self.report.skipped[wp.type] += 1
        by_id = {wp.id: wp for wp in comments}
        depth = self._depths(by_id)
        known = self._known(list(by_id))
        made, changed, events, new, redigested = {}, [], [], [], []
        for wp in sorted(comments, key=lambda wp: (depth[wp.id], wp.id)):
            parent_wp = wp.parent if wp.parent in by_id else 0
            if wp.parent and not parent_wp:
                self.report.missing_parents.append((self.post.id, wp.id, wp.parent))
            parent = made.get(parent_wp) if parent_wp else None
            status = COMMENT_STATUS.get(wp.approved, Status.TRASH)
            digest = _digest(wp)
            imported = known.get(wp.id)
            if imported is not None and imported.digest == digest:
                comment = imported.comment  # as WordPress left it: what was done here stays
                self.report.comments[("unchanged", comment.status)] += 1
            elif imported is not None:
                comment, imported.digest = imported.comment, digest
                redigested.append(imported)
                if self._update(comment, self._values(wp), parent, status, events):
                    changed.append(comment)
                    self.report.comments[("updated", status)] += 1
                else:
                    self.report.comments[("unchanged", status)] += 1
            else:
                comment = self._build(wp, self._values(wp), parent, status)
                new.append((wp.id, digest, comment))
                self.report.comments[("created", status)] += 1
            made[wp.id] = comment
        if new:
            comments_import((c for *_, c in new), reason=f"imported from WordPress ({self.site})")
            insert_rows(
                ImportedComment,
                ["site", "wp_id", "digest", "comment"],
                [(self.site, wp_id, digest, comment.pk) for wp_id, digest, comment in new],
            )
        ImportedComment.objects.bulk_update(redigested, ["digest"], batch_size=500)
        if changed:
            Comment.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
            ModerationEvent.objects.bulk_create(events)
            paper_discussion_changed(self.paper, written_in_bulk=True)

    def _known(self, wp_ids):
        """{WordPress id: ImportedComment} of those imported before, found by the unique
        (site, id) index, in chunks a query's parameters can hold."""
        known, imported = {}, ImportedComment.objects.select_related("comment")
        for at in range(0, len(wp_ids), 500):
            chunk = imported.filter(site=self.site, wp_id__in=wp_ids[at : at + 500])
            known.update((row.wp_id, row) for row in chunk)
        return known

    def _depths(self, by_id):
        """Each comment's depth in WordPress's thread (a reply to a missing parent: 1)."""
        depth = {}
        for wp_id in by_id:
            chain, at = [], wp_id
            while at in by_id and at not in depth and at not in chain:
                chain.append(at)
                at = by_id[at].parent
            base = depth.get(at, 0)
            for offset, member in enumerate(reversed(chain), start=1):
                depth[member] = base + offset
        return depth

    def _values(self, wp):
        email = normalize_email(wp.email)
        website = wp.url if wp.url.lower().startswith(("http://", "https://")) else ""
        return {
            "name": (clean_name(_text(wp.author)) or NO_NAME)[: _limit(Comment, "name")],
            "email": email if len(email) <= _limit(Comment, "email") else "",
            "website": website if len(website) <= _limit(Comment, "website") else "",
            "body": comment_markdown(wp.content),
            "submitted_at": wp.date or self.paper.published_on,
        }

    def _author_user(self, wp):
        """The account of the post's author who wrote this while signed in, if one did."""
        if not wp.user_id:
            return None
        login = self.run_.author_ids.get(wp.user_id)
        if login is None and wp.email.lower() in self.author_emails:  # WXR 1.0: no author ids
            return next(
                (
                    u
                    for u in self.author_users.values()
                    if u and u.email.lower() == wp.email.lower()
                ),
                None,
            )
        if login in self.author_logins:
            return self.run_.people[login].user
        return None

    def _build(self, wp, values, parent, status):
        comment = comment_build(
            paper=self.paper,
            identity=Identity(
                name=values["name"], email=values["email"], website=values["website"]
            ),
            body=values["body"],
            parent=parent,
            as_placed=True,
        )
        comment.name = values["name"]  # comment_build cleans it too; the limit holds here
        comment.status, comment.submitted_at = status, values["submitted_at"]
        if user := self._author_user(wp):
            comment.user, comment.by_paper_author = user, True
        return comment

    def _update(self, comment, values, parent, status, events):
        """Give a known comment what WordPress says now; whether anything changed."""
        changed = False
        body = values.pop("body")
        if body != comment.body:
            for name, value in body_fields(body).items():
                setattr(comment, name, value)
            changed = True
        for name, value in values.items():
            if getattr(comment, name) != value:
                setattr(comment, name, value)
                changed = True
        parent_id = parent.pk if parent else None
        if comment.parent_id != parent_id:
            comment.parent = parent
            comment.root = (parent.root or parent) if parent else None
            comment.depth = parent.depth + 1 if parent else 1
            changed = True
        if comment.status != status:
            events.append(
                ModerationEvent(
                    comment=comment, from_status=comment.status, to_status=status, reason=REIMPORTED
                )
            )
            comment.status, comment.status_changed_at = status, timezone.now()
            changed = True
        return changed


def _digest(wp):
    """Of what WordPress says of a comment, to tell whether it changed since an import."""
    said = (wp.author, wp.email, wp.url, wp.date, wp.content, wp.approved, wp.parent, wp.user_id)
    return hashlib.blake2b(repr(said).encode(), digest_size=16).hexdigest()


UPDATED_FIELDS = [
    "name",
    "email",
    "website",
    "body",
    "body_html",
    "text_hash",
    "sketch",
    "submitted_at",
    "parent",
    "root",
    "depth",
    "status",
    "status_changed_at",
]
