"""load_demo: the demo edition, its papers, their discussions and a moderation queue with work."""

import datetime
import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comments.models import Comment
from comments.services import comment_delete, comment_edit, comment_set_status
from demo import loader
from pages.models import Page
from papers.models import Edition, Paper, Person, Reference, Section, Stream
from tests.factories import make_comment, make_edition, make_paper

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    out = run("load_demo")
    return out


def test_load_demo_loads_the_edition_and_its_streams(demo):
    edition_file = tomllib.loads((DEMO / "edition.toml").read_text(encoding="utf-8"))
    edition = Edition.objects.get()
    assert edition.slug == edition_file["slug"]
    assert edition.name == edition_file["name"]
    streams = list(edition.streams.values_list("slug", flat=True))
    assert streams == [stream["slug"] for stream in edition_file["streams"]]
    assert len(streams) >= 2


def test_load_demo_loads_every_paper_file(demo):
    files = sorted((DEMO / "papers").glob("*.md"))
    assert len(files) >= 3
    papers = Paper.objects.all()
    assert papers.count() == len(files)
    assert len({paper.stream_id for paper in papers}) >= 2
    assert f"Loaded the demo conference: {len(files)} papers." in demo
    for paper in papers:
        assert paper.get_absolute_url() in demo
        assert paper.status == Paper.Status.PUBLISHED


def test_demo_papers_have_sections_references_and_linked_citations(demo):
    for paper in Paper.objects.all():
        sections = list(paper.sections.all())
        assert sections, paper
        assert paper.references.exists(), paper
        assert any('<a class="citation" href="#ref-' in s.body_html for s in sections), paper
        assert paper.author_list, paper


def test_demo_discussions_have_author_replies_and_deep_threads(demo):
    for paper in Paper.objects.all():
        comments = list(paper.comments.approved())
        assert comments, paper
        assert paper.comment_count == len(comments)
        replies = [c for c in comments if c.by_paper_author]
        assert replies, paper
        assert all(c.parent_id is not None for c in replies)
        author_users = {person.user_id for person in paper.author_list}
        assert {c.user_id for c in replies} <= author_users
        assert max(c.depth for c in comments) >= 3, paper


def test_demo_pages_can_be_read(client, demo):
    home = client.get("/").content.decode()
    assert Edition.objects.get().name in home
    for paper in Paper.objects.all():
        response = client.get(paper.get_absolute_url())
        assert response.status_code == 200
        assert paper.title in response.content.decode()


def test_the_demo_edition_has_an_about_page_and_a_closed_call_for_papers(client, demo):
    edition = Edition.objects.get()
    pages = {page.slug: page for page in edition.pages.all()}
    assert {"about", "call-for-papers"} <= set(pages)
    assert all(page.is_published and page.in_navigation for page in pages.values())
    assert edition.call_closes_on < datetime.date.today()
    html = client.get(edition.get_absolute_url()).content.decode()
    closed = edition.call_closes_on.strftime("%-d %B %Y")
    assert f"The call for papers closed on {closed}." in html
    for slug in ("about", "call-for-papers"):
        url = pages[slug].get_absolute_url()
        assert f'<a href="{url}">{pages[slug].title}</a>' in html  # the edition lists its pages
        page = client.get(url).content.decode()
        assert f'<h1 id="page-title">{pages[slug].title}</h1>' in page
        assert f'aria-current="page">{pages[slug].title}</a>' in page  # in the edition's navigation
    assert (
        "This call is closed."
        in client.get(pages["call-for-papers"].get_absolute_url()).content.decode()
    )
    for page in edition.pages.all():
        assert f"  {page.get_absolute_url()}  {page.title}" in demo


def test_the_demo_has_a_site_wide_code_of_conduct_in_every_pages_navigation(client, demo):
    conduct = Page.objects.get(edition=None, slug="code-of-conduct")
    for url in ["/", "/editions/", Paper.objects.first().get_absolute_url()]:
        html = client.get(url).content.decode()
        assert f'<a href="{conduct.get_absolute_url()}">Code of conduct</a>' in html, url
    about = client.get("/editions/colloquy-2026/pages/about/").content.decode()
    assert '<a href="/pages/code-of-conduct/" rel="noopener">code of conduct</a>' in about


def test_the_demo_discussions_stay_open(demo):
    assert Edition.objects.get().comments_close == Edition.CommentsClose.NEVER


def test_loading_again_writes_the_demo_pages_anew_and_leaves_others_alone(demo):
    edition = Edition.objects.get()
    about = edition.pages.get(slug="about")
    about.body = "Edited in the admin."
    about.save()
    own = Page.objects.create(edition=edition, title="Travel", slug="travel", body="By train.")
    ids = sorted(Page.objects.values_list("pk", flat=True))
    run("load_demo")
    about.refresh_from_db()
    assert "Edited in the admin." not in about.body
    assert about.body_html.startswith("<p>Colloquy 2026 is the demo edition")
    assert Page.objects.get(pk=own.pk).body == "By train."
    assert sorted(Page.objects.values_list("pk", flat=True)) == ids


def test_a_demo_page_without_front_matter_stops_the_load(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    (content / "pages" / "about.md").write_text("Just text.\n", encoding="utf-8")
    monkeypatch.setattr(loader, "CONTENT", content)
    with pytest.raises(CommandError, match=r"demo/content/pages/about\.md: the file must start"):
        run("load_demo")
    assert not Edition.objects.exists() and not Page.objects.exists()


def test_load_demo_twice_does_not_duplicate_anything(demo):
    def counts():
        return [
            model.objects.count()
            for model in (Edition, Stream, Paper, Person, Section, Reference, Comment, Page)
        ]

    before = counts()
    ids = sorted(Paper.objects.values_list("pk", flat=True))
    run("load_demo")
    assert counts() == before
    assert Comment.objects.pending().count() == 3
    assert sorted(Paper.objects.values_list("pk", flat=True)) == ids


def test_every_demo_comment_has_the_one_event_that_gave_its_status(demo):
    run("load_demo")  # loading again records nothing more
    demo_comments = Comment.objects.filter(form_token__startswith=loader.DEMO_MARK)
    assert demo_comments.filter(form_token__startswith="demo:thread:").count() > 20
    for comment in demo_comments.prefetch_related("events"):
        (event,) = comment.events.all()
        assert (event.from_status, event.to_status) == ("", comment.status)
        if comment.form_token.startswith("demo:thread:"):
            assert event.reason == "loaded with the demo conference"
            assert event.at == comment.submitted_at == comment.status_changed_at


def test_demo_comments_are_posted_an_interval_apart_in_the_files_order(demo):
    paper = Paper.objects.get(slug="fan-translation")
    entries = tomllib.loads((DEMO / "discussions" / "fan-translation.toml").read_text("utf-8"))

    def in_file_order(entries):
        for entry in entries:
            yield entry["body"].strip()
            yield from in_file_order(entry.get("replies", []))

    thread = paper.comments.filter(form_token__startswith="demo:thread:")
    times = dict(thread.values_list("body", "submitted_at"))
    bodies = list(in_file_order(entries["comments"]))
    assert [times[body] for body in bodies] == [
        paper.published_on + n * loader.ENTRY_INTERVAL for n in range(1, len(bodies) + 1)
    ]


def test_load_demo_if_empty_does_nothing_when_an_edition_exists():
    make_edition(name="Someone else's conference")
    out = run("load_demo", "--if-empty")
    assert out == "The database already holds a conference; demo not loaded.\n"
    assert Edition.objects.get().name == "Someone else's conference"
    assert not Paper.objects.exists()


def test_load_demo_if_empty_loads_into_an_empty_database():
    out = run("load_demo", "--if-empty")
    assert "Loaded the demo conference" in out
    assert Paper.objects.count() >= 3


def _held():
    pending = Comment.objects.pending().select_related("paper").order_by("id")
    return {c.name: (c, [r.check_name for r in c.reasons.all()]) for c in pending}


def test_load_demo_leaves_work_in_the_moderation_queue_with_reasons():
    run("load_demo")
    held = _held()
    assert set(held) == {"Farah Siddiqui", "Tomasz Wieczorek", "Best Stream Deals"}
    assert held["Tomasz Wieczorek"][1] == ["first_comment"]
    assert held["Best Stream Deals"][1] == ["links", "first_comment"]


def test_demo_authors_second_reply_is_held_as_a_near_duplicate_of_the_first():
    run("load_demo")
    repost, checks = _held()["Farah Siddiqui"]
    assert checks == ["near_duplicate"]
    reason = repost.reasons.get()
    original = reason.related_comment
    assert original.status == Comment.Status.APPROVED
    assert original.parent == repost.parent
    assert original.parent.name == "Oskar Brandt"
    assert reason.message.startswith(f"near-duplicate of #{original.pk} (")
    assert repost.by_paper_author


def test_demo_held_comments_are_not_counted_or_shown_to_readers(client):
    run("load_demo")
    for comment, _checks in _held().values():
        paper = comment.paper
        assert paper.comment_count == paper.comments.approved().count()
        html = client.get(paper.get_absolute_url()).content.decode()
        assert f'id="comment-{comment.pk}"' not in html


# Loading again over a database people have used: only the demo's own objects change.


def snapshot(comments):
    """What must not change about comments: id, paper, parent, root, depth, status, text."""
    return {
        c.pk: (c.paper_id, c.parent_id, c.root_id, c.depth, c.status, c.name, c.body)
        for c in comments
    }


@pytest.fixture
def used_demo():
    """The demo, then a discussion people have had on it: a top-level comment, a reply to a
    demo comment and a reply to that (one posted from a form, with its form key; the others
    unmarked, as made in the admin or by an older tool), and a demo comment in the trash."""
    run("load_demo")
    paper = Paper.objects.get(slug="maintainer-burnout")
    demo_reply = paper.comments.approved().filter(depth=2, replies__isnull=True).first()
    people = [make_comment(paper, name="Ada Reader", body="My own thoughts on this paper.")]
    people.append(
        make_comment(paper, parent=demo_reply, name="Ben Reader", body="Replying to the demo.")
    )
    people.append(
        make_comment(
            paper,
            parent=people[1],
            name="Ada Reader",
            body="And a reply to Ben.",
            form_token="ab" * 32,
        )
    )
    trashed = paper.comments.approved().exclude(pk__in=[c.pk for c in people]).last()
    comment_set_status(trashed, Comment.Status.TRASH, actor=None, reason="testing")
    return {"paper": paper, "people": people, "demo_reply": demo_reply, "trashed": trashed}


def test_loading_again_leaves_peoples_comments_and_keeps_every_id(used_demo):
    before = snapshot(Comment.objects.all())
    pending = sorted(Comment.objects.pending().values_list("pk", flat=True))
    out = run("load_demo")
    assert snapshot(Comment.objects.all()) == before  # nothing deleted, renumbered or changed
    assert sorted(Comment.objects.pending().values_list("pk", flat=True)) == pending
    assert "Demo comments: already up to date." in out
    assert (
        "Left alone: 3 comments on the demo papers that did not come from the demo "
        "(people's comments and replies): load_demo never deletes, renumbers or edits them."
    ) in out
    trashed = Comment.objects.get(pk=used_demo["trashed"].pk)
    assert trashed.status == Comment.Status.TRASH  # a moderator's decision is kept
    paper = used_demo["paper"]
    paper.refresh_from_db()
    assert paper.comment_count == paper.comments.approved().count()


def test_loading_again_over_a_database_loaded_before_the_marks(used_demo):
    """Demo comments stored by the loader of before have no mark: they are recognised by
    their text and place, marked, and kept; nothing is duplicated."""
    people = {c.pk for c in used_demo["people"]}
    Comment.objects.exclude(pk__in=people).update(form_token=None)
    before = snapshot(Comment.objects.all())
    out = run("load_demo")
    assert snapshot(Comment.objects.all()) == before
    assert "already up to date" in out
    assert "Left alone: 3 comments" in out
    unmarked = Comment.objects.filter(form_token__isnull=True)
    assert set(unmarked.values_list("pk", flat=True)) == people - {used_demo["people"][2].pk}


def test_a_demo_comment_edited_in_the_admin_is_restored_in_place(used_demo):
    demo_reply = used_demo["demo_reply"]
    original = demo_reply.body
    comment_edit(demo_reply, body="Edited by a moderator.", actor=None)
    out = run("load_demo")
    demo_reply.refresh_from_db()
    assert demo_reply.body == original
    assert "Edited by a moderator." not in demo_reply.body_html
    assert "Demo comments: 1 updated from demo/content." in out
    ben = Comment.objects.get(name="Ben Reader")
    assert ben.parent_id == demo_reply.pk  # people's reply still under it


def test_a_deleted_demo_comment_is_made_again_and_nothing_else_moves(used_demo):
    paper = used_demo["paper"]
    leaf = paper.comments.filter(replies__isnull=True, form_token__startswith="demo:thread:")
    leaf = leaf.exclude(pk=used_demo["trashed"].pk).first()
    comment_delete(leaf)
    before = snapshot(Comment.objects.all())
    out = run("load_demo")
    after = snapshot(Comment.objects.all())
    assert {pk: after[pk] for pk in before} == before
    (made,) = set(after) - set(before)
    assert after[made] == (
        leaf.paper_id,
        leaf.parent_id,
        leaf.root_id,
        leaf.depth,
        "approved",
        leaf.name,
        leaf.body,
    )
    assert "Demo comments: 1 made." in out


def test_a_demo_paper_edited_in_the_admin_is_written_again_from_its_file(used_demo):
    paper = used_demo["paper"]
    title = paper.title
    Paper.objects.filter(pk=paper.pk).update(title="Changed in the admin")
    other = make_paper(stream=paper.stream, title="A paper someone added", slug="someone")
    theirs = make_comment(other, body="A comment on their paper.")
    run("load_demo")
    paper.refresh_from_db()
    assert paper.title == title
    assert Paper.objects.get(pk=other.pk).title == "A paper someone added"
    assert Comment.objects.get(pk=theirs.pk).body == "A comment on their paper."


@pytest.fixture
def content(tmp_path, monkeypatch):
    """A copy of demo/content that a test may change, used by the loader."""
    copy = tmp_path / "content"
    shutil.copytree(loader.CONTENT, copy)
    monkeypatch.setattr(loader, "CONTENT", copy)
    return copy


def test_an_entry_that_left_demo_content_is_removed_and_its_replies_stay(used_demo, content):
    demo_reply = used_demo["demo_reply"]
    path = content / "discussions" / "maintainer-burnout.toml"
    text = path.read_text(encoding="utf-8")
    assert demo_reply.body in text
    data = tomllib.loads(text)
    removed = _remove_entry(data["comments"], demo_reply.body)
    assert "replies" not in removed  # a leaf of the demo tree: only Ben replied to it
    path.write_text(_toml(data), encoding="utf-8")
    out = run("load_demo")
    assert not Comment.objects.filter(pk=demo_reply.pk).exists()
    ben = Comment.objects.get(pk=used_demo["people"][1].pk)
    assert ben.parent_id == demo_reply.parent_id  # moved up a level, not deleted
    assert Comment.objects.get(pk=used_demo["people"][2].pk).parent_id == ben.pk
    assert "1 removed (no longer in demo/content)" in out


def test_entries_added_removed_or_edited_leave_the_other_demo_comments_their_ids(content):
    run("load_demo")
    paper = Paper.objects.get(slug="fan-translation")
    demo = paper.comments.filter(form_token__startswith="demo:thread:")
    before = dict(demo.values_list("pk", "body"))
    path = content / "discussions" / "fan-translation.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = data["comments"]
    assert len(entries) >= 3
    gone = entries.pop()  # the last thread, with its replies
    edited = entries[1]
    edited["body"] = "Rewritten in a new version of the demo."
    entries.insert(0, {"name": "New Voice", "email": "new.voice@example.org", "body": "Hello."})
    path.write_text(_toml(data), encoding="utf-8")
    out = run("load_demo")
    after = dict(demo.values_list("pk", "body"))
    removed = {pk for pk, body in before.items() if pk not in after}
    assert len(removed) == 1 + _count(gone.get("replies", []))
    (made,) = set(after) - set(before)
    assert after[made] == "Hello."
    changed = {pk for pk in after if pk in before and after[pk] != before[pk]}
    assert [after[pk] for pk in changed] == ["Rewritten in a new version of the demo."]
    assert f"1 made, 1 updated from demo/content, {len(removed)} removed" in out


def _count(entries):
    return sum(1 + _count(entry.get("replies", [])) for entry in entries)


def test_a_demo_file_the_importer_rejects_stops_the_load_and_changes_nothing(used_demo, content):
    before = snapshot(Comment.objects.all())
    (content / "papers" / "zz-broken.md").write_text("no front matter\n", encoding="utf-8")
    (content / "discussions" / "maintainer-burnout.toml").write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match=r"demo/content/papers/zz-broken\.md: line \d+"):
        run("load_demo")
    assert snapshot(Comment.objects.all()) == before


def test_a_queue_comment_the_pipeline_refuses_stops_the_load_with_the_reason(used_demo):
    held = Comment.objects.get(name="Tomasz Wieczorek")
    comment_delete(held)
    paper = Paper.objects.get(slug="volunteer-moderators")
    make_comment(paper, name="Tomasz Wieczorek", email="tomasz.wieczorek@example.net")
    before = snapshot(Comment.objects.all())
    with pytest.raises(CommandError) as refused:
        run("load_demo")
    message = str(refused.value)
    assert message.startswith("The moderation pipeline refused the demo's comment by Tomasz")
    assert "too quickly" in message and message.endswith("Nothing was changed.")
    assert snapshot(Comment.objects.all()) == before


def _remove_entry(entries, body):
    for index, entry in enumerate(entries):
        if entry["body"].strip() == body:
            return entries.pop(index)
        if found := _remove_entry(entry.get("replies", []), body):
            return found
    return None


def _toml(data):
    """Just enough TOML for a discussion file: arrays of tables with string values."""

    def tables(key, entries):
        out = []
        for entry in entries:
            out.append(f"[[{key}]]")
            out += [
                f"{name} = {_toml_value(value)}"
                for name, value in entry.items()
                if name != "replies"
            ]
            out += tables(f"{key}.replies", entry.get("replies", []))
        return out

    return "\n".join(tables("comments", data["comments"])) + "\n"


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)
