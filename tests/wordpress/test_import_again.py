"""import_wxr run again: the same export creates nothing twice and rewrites nothing; a
changed export updates what it made in place (a status change recorded as moderation
does); and two WordPress sites with the same ids never touch each other's papers."""

import pytest

from comments.models import Comment, ModerationEvent
from papers.models import Paper, Section
from tests.wordpress.importing import counts, import_wxr, page, png, uploads_dir
from tests.wordpress.wxr_builder import Site, comment, document, post
from wordpress.models import ImportedComment, ImportedPost

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

Status = Comment.Status
FILES = ["gutenberg.xml", "classic.xml", "discussion.xml", "hostile.xml", "non-ascii.xml"]
FILES += ["wxr-1.0.xml", "wxr-1.1.xml", "wxr-1.2-https.xml"]


def import_all(uploads):
    runs = [import_wxr(name, "--uploads", uploads) for name in FILES]
    for run in runs:
        assert run.error is None, run.said
    return runs


def test_the_same_exports_imported_twice_create_nothing_twice(tmp_path, media_root):
    uploads = uploads_dir(
        tmp_path / "wp-content" / "uploads",
        {"2024/05/chart.png": png(), "2024/05/timeline.png": png(colour=(9, 9, 9))},
    )
    import_all(uploads)
    before = counts(media_root)
    sections = set(Section.objects.values_list("pk", flat=True))
    assert before["figures"] == before["files"] == 2

    again = import_all(uploads)

    assert counts(media_root) == before
    assert set(Section.objects.values_list("pk", flat=True)) == sections  # not rewritten
    for run in again:
        assert "0 created, 0 updated" in run.out, run.out
        assert "Comments created" not in run.out and "Comments updated" not in run.out
    discussion = again[FILES.index("discussion.xml")]
    assert "Papers: 0 created, 0 updated, 1 unchanged" in discussion.out
    assert "Comments unchanged: 15 (12 approved, 1 pending, 1 spam, 1 trash)" in discussion.out


# A changed export.

ORIGINAL = [
    comment(10, "Ana", "First text.", date_gmt="2024-05-02 08:00:00"),
    comment(11, "Ben", "Held reply.", parent=10, approved="0", date_gmt="2024-05-02 09:00:00"),
    comment(12, "Cy", "Untouched.", date_gmt="2024-05-02 10:00:00"),
]
CHANGED = [
    comment(10, "Ana", "Edited text, *now*.", date_gmt="2024-05-02 08:00:00"),
    comment(11, "Ben", "Held reply.", parent=10, approved="1", date_gmt="2024-05-02 09:00:00"),
    comment(12, "Cy", "Untouched.", date_gmt="2024-05-02 10:00:00"),
]


def export(title="Original title", comments=ORIGINAL, site=None):
    return document(post(1, title, "<p>Body.</p>", name="the-post", comments=comments), site=site)


def test_a_changed_export_updates_in_place(tmp_path):
    import_wxr(export(), tmp_path=tmp_path)
    paper = Paper.objects.get()
    ana, ben, cy = (ImportedComment.objects.get(wp_id=n).comment for n in (10, 11, 12))
    page(paper)  # the page is cached now
    before = counts()

    run = import_wxr(export("Changed title", CHANGED), tmp_path=tmp_path)

    assert run.error is None, run.said
    assert counts() == {**before, "events": before["events"] + 1}
    paper.refresh_from_db()
    assert (paper.pk, paper.title, paper.slug) == (
        Paper.objects.get().pk,
        "Changed title",
        "the-post",
    )
    ana.refresh_from_db()
    assert (ana.body, ana.body_html) == ("Edited text, \\*now\\*.", "<p>Edited text, *now*.</p>")
    ben.refresh_from_db()
    assert ben.status == Status.APPROVED
    event = ben.events.last()
    assert (event.from_status, event.to_status) == (Status.PENDING, Status.APPROVED)
    assert event.reason == "imported again from WordPress"
    assert paper.comment_count == 3
    assert "Papers: 0 created, 1 updated, 0 unchanged" in run.out
    assert "Comments updated: 2 (2 approved)" in run.out
    assert "Comments unchanged: 1 (1 approved)" in run.out
    html = page(paper)
    assert "Changed title" in html and "Edited text, *now*." in html and "Held reply." in html
    assert cy.pk == ImportedComment.objects.get(wp_id=12).comment_id


def test_a_comment_changed_under_an_unchanged_post_is_updated_and_shown(tmp_path):
    import_wxr(export(), tmp_path=tmp_path)
    paper = Paper.objects.get()
    assert "First text." in page(paper)
    sections = list(paper.sections.values_list("pk", flat=True))

    changed = [CHANGED[0], *ORIGINAL[1:]]
    run = import_wxr(export(comments=changed), tmp_path=tmp_path)

    assert "Papers: 0 created, 0 updated, 1 unchanged" in run.out
    assert "Comments updated: 1 (1 approved)" in run.out
    assert list(paper.sections.values_list("pk", flat=True)) == sections
    html = page(paper)
    assert "Edited text, *now*." in html and "First text." not in html


def test_a_comment_moved_to_spam_in_wordpress_is_moved_here_with_an_event(tmp_path):
    import_wxr(export(), tmp_path=tmp_path)
    spammed = [
        ORIGINAL[0],
        ORIGINAL[1],
        comment(12, "Cy", "Untouched.", approved="spam", date_gmt="2024-05-02 10:00:00"),
    ]

    import_wxr(export(comments=spammed), tmp_path=tmp_path)

    cy = ImportedComment.objects.get(wp_id=12).comment
    assert cy.status == Status.SPAM
    assert [(e.from_status, e.to_status) for e in cy.events.all()] == [
        ("", Status.APPROVED),
        (Status.APPROVED, Status.SPAM),
    ]
    assert Paper.objects.get().comment_count == 1


def test_what_moderators_did_here_stays_while_wordpress_leaves_the_comment_alone(tmp_path):
    from comments.services import comment_edit, comment_set_status

    import_wxr(export(), tmp_path=tmp_path)
    ana, ben, cy = (ImportedComment.objects.get(wp_id=n).comment for n in (10, 11, 12))
    comment_set_status(ben, Status.APPROVED, actor=None, reason="fine")
    comment_set_status(cy, Status.SPAM, actor=None, reason="spam after all")
    comment_edit(ana, body="First text, a typo fixed here.", actor=None)

    run = import_wxr(export(), tmp_path=tmp_path)  # WordPress still says what it said

    assert "Comments unchanged: 3 (2 approved, 1 spam)" in run.out
    for made in (ana, ben, cy):
        made.refresh_from_db()
    assert (ana.body, ben.status, cy.status) == (
        "First text, a typo fixed here.",
        Status.APPROVED,
        Status.SPAM,
    )

    # Once WordPress changes a comment, its version is taken.
    changed = [
        ORIGINAL[0],
        ORIGINAL[1],
        comment(12, "Cy", "Untouched, edited there.", date_gmt="2024-05-02 10:00:00"),
    ]
    import_wxr(export(comments=changed), tmp_path=tmp_path)
    cy.refresh_from_db()
    assert (cy.body, cy.status) == ("Untouched, edited there.", Status.APPROVED)


# Two sites.


def test_two_sites_with_the_same_ids_do_not_collide(tmp_path):
    one = Site(url="https://one.example", title="Shared")
    two = Site(url="https://two.example", title="Shared")
    first = tmp_path / "one"
    second = tmp_path / "two"
    first.mkdir()
    second.mkdir()
    import_wxr(export("From one", site=one), "--edition", "shared", tmp_path=first)
    run = import_wxr(export("From two", site=two), "--edition", "shared", tmp_path=second)

    assert run.error is None, run.said
    assert "Papers: 1 created" in run.out
    papers = {p.title: p for p in Paper.objects.all()}
    assert set(papers) == {"From one", "From two"}
    assert {p.edition.slug for p in papers.values()} == {"shared"}
    assert {p.slug for p in papers.values()} == {"the-post", "the-post-2"}
    assert sorted(ImportedPost.objects.values_list("site", "wp_id")) == [
        ("https://one.example", 1),
        ("https://two.example", 1),
    ]
    for title in papers:
        assert papers[title].comments.count() == 3
    assert Comment.objects.count() == 6 and ImportedComment.objects.count() == 6

    # Importing the first again touches only its own.
    before = counts()
    again = import_wxr(export("From one, renamed", site=one), "--edition", "shared", tmp_path=first)
    assert "Papers: 0 created, 1 updated, 0 unchanged" in again.out
    assert counts() == before
    assert set(Paper.objects.values_list("title", flat=True)) == {"From one, renamed", "From two"}
    assert ModerationEvent.objects.count() == 6
