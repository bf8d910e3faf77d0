"""import_wxr and a post's comments: the thread exactly as WordPress has it however deep,
every status, the post author's own replies with the Author badge, pingbacks and
trackbacks left out, an orphan reply kept, hostile markup made harmless, and nobody told
and nothing judged: each comment gets the moderation event that says it was imported."""

import pytest
from django.contrib.auth.models import Group

from comments.models import Comment, ModerationEvent, ModerationReason, ModerationWord
from comments.notifications import MODERATORS_GROUP
from comments.services import comment_set_status
from papers.models import Paper, Person
from tests.factories import make_user
from tests.wordpress.importing import import_wxr, page, shown_comments, soup, unsafe_markup
from tests.wordpress.wxr_builder import Site, author, comment, document, post
from wordpress.models import ImportedComment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

Status = Comment.Status
THREAD = list(range(201, 210))  # 201 ← 202 ← ... ← 209: nine deep
SITE = "https://threads.example"


def by_wp_id():
    return {i.wp_id: i.comment for i in ImportedComment.objects.select_related("comment")}


@pytest.fixture
def discussion():
    run = import_wxr("discussion.xml")
    assert run.error is None, run.said
    return run


# The thread's shape.


def test_a_thread_nine_deep_is_stored_with_its_true_depths_and_parents(discussion):
    comments = by_wp_id()
    chain = [comments[wp_id] for wp_id in THREAD]
    assert [c.depth for c in chain] == list(range(1, 10))
    assert [c.parent for c in chain] == [None, *chain[:-1]]
    assert all(c.root == chain[0] for c in chain[1:]) and chain[0].root is None
    nadia = comments[210]
    assert (nadia.parent, nadia.depth, nadia.root) == (chain[1], 3, chain[0])


def test_the_page_shows_every_approved_comment_nested_no_deeper_than_the_limit(
    discussion, settings
):
    limit = settings.COLLOQUY_MAX_THREAD_DEPTH
    assert limit < 9  # the thread is deeper than the page draws
    comments = by_wp_id()
    paper = Paper.objects.get()
    html = page(paper)

    shown = shown_comments(html)
    approved = {c.pk for c in comments.values() if c.status == Status.APPROVED}
    assert set(shown) == approved and len(approved) == 12
    levels = {wp_id: shown[comments[wp_id].pk] for wp_id in THREAD}
    assert levels == {wp_id: min(n, limit) for n, wp_id in enumerate(THREAD, 1)}
    assert shown[comments[210].pk] == 3
    assert max(shown.values()) == limit
    # Nested lists: never more than limit - 1 inside one another.
    deepest = max(
        len([p for p in item.parents if p.name == "ol" and "children" in p.get("class", [])])
        for item in soup(html).select("ol.children")
    )
    assert deepest + 1 == limit - 1
    for wp_id in THREAD:
        assert comments[wp_id].body_html in html


# Statuses, events, notifications, moderation checks.


def test_every_wordpress_status_becomes_ours(discussion):
    comments = by_wp_id()
    assert {wp_id: comments[wp_id].status for wp_id in (201, 211, 212, 213)} == {
        201: Status.APPROVED,  # 1
        211: Status.PENDING,  # 0
        212: Status.SPAM,
        213: Status.TRASH,
    }
    assert "Comments created: 15 (12 approved, 1 pending, 1 spam, 1 trash)" in discussion.out
    assert Paper.objects.get().comment_count == 12


def test_each_imported_comment_has_one_event_saying_it_was_imported(discussion):
    comments = by_wp_id()
    assert len(comments) == 15
    for stored in comments.values():
        [event] = stored.events.all()
        assert (event.from_status, event.to_status) == ("", stored.status)
        assert event.reason == f"imported from WordPress ({SITE})"
        assert event.actor is None and event.at == stored.submitted_at
        assert stored.status_changed_at == stored.submitted_at


@pytest.mark.django_db(transaction=True)
def test_importing_sends_no_mail(mailoutbox, settings):
    """Moderators (for the held comment) and the post's author (for every new one) have
    addresses, and on_commit callbacks run: still, nobody is told of an import."""
    settings.COLLOQUY_NOTIFY_MODERATORS = True
    moderator = make_user("moderator", email="mod@example.org", staff=True)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    make_user("root", email="root@example.org", superuser=True)

    run = import_wxr("discussion.xml")

    assert run.error is None, run.said
    assert mailoutbox == []
    # A moderator's approval afterwards is news: the same setup does send mail then.
    held = by_wp_id()[211]
    comment_set_status(held, Status.APPROVED, actor=moderator, reason="fine")
    assert [m.to for m in mailoutbox] == [["nadia@threads.example"]]


def test_the_spam_checks_do_not_judge_imported_comments(settings):
    """Ten links (the limit is 2), a spam word, guests' first comments: all as WordPress
    had them."""
    assert settings.COLLOQUY_MODERATION["max_links"] < 10
    ModerationWord.objects.create(phrase="floor", action=ModerationWord.Action.SPAM)

    assert import_wxr("discussion.xml").error is None
    comments = by_wp_id()
    links = comments[214]
    assert links.status == Status.APPROVED and links.body_html.count("<a href=") == 10
    assert comments[207].status == Status.APPROVED  # "A floor that talks back."
    assert comments[201].status == Status.APPROVED  # a guest's first comment
    assert ModerationReason.objects.count() == 0
    assert (
        ModerationEvent.objects.exclude(reason__startswith="imported from WordPress").count() == 0
    )


# What is left out, and what is kept although it is odd.


def test_pingbacks_and_trackbacks_are_skipped_and_counted(discussion):
    assert not Comment.objects.filter(name__in=["Another Blog", "Old Weblog"]).exists()
    assert 216 not in by_wp_id() and 217 not in by_wp_id()
    assert "1 pingback" in discussion.out and "1 trackback" in discussion.out


def test_pages_attachments_and_menu_items_are_skipped_and_counted(discussion):
    assert list(Paper.objects.values_list("title", flat=True)) == ["Should threads have a floor?"]
    skipped = next(line for line in discussion.out.splitlines() if line.startswith("Skipped:"))
    assert skipped == ("Skipped: 1 attachment, 1 nav_menu_item, 1 page, 1 pingback, 1 trackback")


def test_an_orphan_reply_is_kept_at_the_top_level_and_reported(discussion):
    orphan = by_wp_id()[215]
    assert (orphan.parent, orphan.root, orphan.depth) == (None, None, 1)
    assert orphan.status == Status.APPROVED
    assert (
        "Missing parent: comment 215 of post 4 replies to comment 9999, which is not in the "
        "export; kept as a top-level comment"
    ) in discussion.out
    assert shown_comments(page(Paper.objects.get()))[orphan.pk] == 1


# Authors.


def test_the_post_author_is_a_person_with_an_account_without_a_password(discussion):
    paper = Paper.objects.get()
    [nadia] = paper.author_list
    assert nadia.display_name == "Nadia Farouk"
    assert nadia.user.email == "nadia@threads.example"
    assert not nadia.user.has_usable_password()
    assert not Person.objects.filter(display_name="Site Admin").exists()  # wrote no post


def test_the_authors_own_reply_gets_the_author_badge(discussion):
    comments = by_wp_id()
    nadia = Paper.objects.get().author_list[0]
    answer = comments[210]
    assert answer.by_paper_author and answer.user == nadia.user
    others = [c for wp_id, c in comments.items() if wp_id != 210]
    assert not any(c.by_paper_author or c.user_id for c in others)

    html = soup(page(Paper.objects.get()))
    badges = html.select(".author-badge")
    assert [b.get_text() for b in badges] == ["Author"]
    assert badges[0].find_parent("li")["id"] == f"comment-{answer.pk}"


def test_a_signed_in_commenter_who_is_not_the_post_author_gets_no_badge(tmp_path):
    """comment_user_id 1 is the site's admin, listed as an author but not this post's."""
    site = Site(
        authors=[
            author(1, "admin", email="admin@example.org", display_name="Admin"),
            author(2, "editor", email="editor@example.org", display_name="Eda Editor"),
        ]
    )
    data = document(
        post(
            1,
            "Badges",
            "<p>Text.</p>",
            creator="editor",
            comments=[
                comment(1, "Admin", "Not the author.", user_id=1, email="admin@example.org"),
                comment(2, "Eda Editor", "The author.", user_id=2, email="editor@example.org"),
            ],
        ),
        site=site,
    )
    assert import_wxr(data, tmp_path=tmp_path).error is None
    comments = by_wp_id()
    assert (comments[1].by_paper_author, comments[1].user) == (False, None)
    assert comments[2].by_paper_author
    assert not Person.objects.filter(display_name="Admin").exists()


# Markup.


@pytest.fixture
def hostile():
    run = import_wxr("hostile.xml")
    assert run.error is None, run.said
    return by_wp_id()


def test_hostile_markup_in_comments_is_not_stored(hostile):
    for stored in hostile.values():
        assert unsafe_markup(stored.body_html) == [], stored.body_html
        assert "<img" not in stored.body_html
        assert "onerror" not in stored.body_html and "<script" not in stored.body_html
    pixel = hostile[301]
    assert pixel.name == "Pixel Person"
    assert pixel.website == ""  # javascript: is no website


def test_allowed_markup_in_comments_survives(hostile):
    careful = hostile[303]
    html = careful.body_html
    assert "<em>agree</em>" in html and "<strong>mostly</strong>" in html
    assert '<a href="https://careful.example/notes"' in html
    assert "<blockquote>" in html and "A sanitiser keeps the quote." in html
    assert "<li>keep <code>code</code></li>" in html
    assert "<p>Hover me.</p>" in hostile[302].body_html  # the text stays, the handler goes


def test_hostile_markup_in_comments_never_reaches_the_page(hostile):
    html = page(Paper.objects.get())
    assert unsafe_markup(html) == []
    assert "evil.example/x.png" not in [img.get("src") for img in soup(html).find_all("img")]
    for stored in hostile.values():
        assert stored.body_html in html
