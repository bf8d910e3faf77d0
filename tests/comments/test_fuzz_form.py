"""Fuzzing the comment form: whatever is posted, the answer is a 2xx, 3xx or 4xx, and no
comment is ever half-saved.

Each example posts the form of comments:post (as a guest, a registered reader or the paper's
author; form-encoded or multipart; with a valid, missing, forged or tampered token; sometimes
twice, as a double click would) with fuzzed names, e-mails, websites, bodies and parent ids,
then checks every comment in the database: its HTML and fingerprint are there, its
last moderation event says its status, and each paper's comment count is its approved
comments. Each example runs in a savepoint rolled back after it.
"""

from dataclasses import dataclass
from urllib.parse import quote, unquote

import pytest
from django.core import signing
from django.db.models import Count
from hypothesis import example, given
from hypothesis import strategies as st

from comments.models import Comment, ModerationEvent
from comments.tokens import new_form_token
from papers.models import Paper
from tests.factories import make_comment, make_paper, make_person, make_stream, make_user
from tests.fuzzing import FUZZ, HUGE, Visitors, rolled_back

pytestmark = pytest.mark.django_db
Status = Comment.Status


@dataclass(frozen=True)
class Raw:
    """A value sent as these bytes of the form-encoded body, percent-escapes and all."""

    encoded: str


RAW = [Raw("%00"), Raw("%ff"), Raw("%ed%a0%80"), Raw("%C2%B2"), Raw("a%00b"), Raw("%")]
NASTY_TEXT = ["", " ", "\x00", "a\x00b", "²", "٣", "１", "\u0301", "℡", "\ufeff", "x" * 20000]


def text_of(chosen, generated):
    """A text field's values: ones chosen for it, the nasty texts and raw bytes that every
    text field is sent, or generated ones."""
    return st.one_of(st.sampled_from([*chosen, *NASTY_TEXT, *RAW]), generated)


names = text_of(["Rosa Quintero", "Ada Quill", "ada  QUILL", "Ádá Quill"], st.text(max_size=120))
emails = text_of(
    [
        "rosa@example.net",
        "ROSA@Example.NET",
        "fuzz-author@example.org",
        "not-an-email",
        "a\x00@example.org",
        "x@" + "y" * 250 + ".org",
    ],
    st.emails(),
)
websites = st.one_of(
    st.sampled_from(
        [
            "",
            "https://example.org",
            "javascript:alert(1)",
            "ftp://example.org",
            "http://" + "x" * 400,
        ]
    ),
    st.text(max_size=40),
)
bodies = text_of(
    [
        "A thoughtful comment about the paper.",
        "casino casino",
        "See https://a.example https://b.example https://c.example",
        "x" * 10001,
    ],
    st.text(max_size=300),
)
# Parent ids: <name> stands for a comment of the test's (see World).
PARENTS = ["", "<approved>", "<pending>", "<elsewhere>", "²", "٣", "１", HUGE, "-" + HUGE]
parents = st.one_of(
    st.sampled_from([*PARENTS, "-1", "0", "1.5", "1e3", "9" * 5000, *RAW]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=10),
)
tokens = st.sampled_from(
    ["valid", "valid", "valid", "missing", "forged", "tampered", "signed-other"]
)
ticks = st.sampled_from([None, "", "on", "1", "false", *RAW])


@st.composite
def submissions(draw):
    fields = {
        "name": draw(names),
        "email": draw(emails),
        "website": draw(websites),
        "body": draw(bodies),
        "url": draw(st.sampled_from(["", "", "", "http://spam.example"])),
        "parent": draw(parents),
        "remember": draw(ticks),
        "notify": draw(ticks),
    }
    # Some fields left out, some sent twice.
    left_out = draw(st.sets(st.sampled_from(sorted(fields))))
    pairs = [(key, value) for key, value in fields.items() if key not in left_out]
    pairs += draw(st.lists(st.tuples(st.sampled_from(sorted(fields)), bodies), max_size=2))
    return {
        "who": draw(st.sampled_from(["guest", "guest", "reader", "author"])),
        "paper": draw(st.sampled_from(["open", "open", "open", "closed", "draft", "missing"])),
        "token": draw(tokens),
        "pairs": pairs,
        "encoding": draw(st.sampled_from(["form", "form", "multipart"])),
        "twice": draw(st.booleans()),
        "hold_first_comments": draw(st.booleans()),
    }


class World:
    def __init__(self):
        author_user = make_user("fuzz-author", first_name="Ada", last_name="Quill")
        stream = make_stream()
        self.papers = {
            "open": make_paper(stream=stream, authors=[make_person("Ada Quill", user=author_user)]),
            "closed": make_paper(stream=stream, comments_open=False),
            "draft": make_paper(stream=stream, status=Paper.Status.DRAFT),
        }
        paper = self.papers["open"]
        approved = make_comment(paper, email="first@example.net")
        self.parents = {
            "<approved>": str(approved.pk),
            "<pending>": str(make_comment(paper, status=Status.PENDING).pk),
            "<elsewhere>": str(make_comment(self.papers["closed"]).pk),
        }
        for comment in Comment.objects.all():  # as the posting service records them
            ModerationEvent.objects.create(comment=comment, to_status=comment.status)
        self.visitors = Visitors("guest", reader=make_user("fuzz-reader"), author=author_user)

    def client(self, who):
        return self.visitors.client(who)


@pytest.fixture
def world(db, moderation):
    moderation["checks"]["flood"] = False  # one post per e-mail in 15 s would refuse the rest
    return World()


def _token(kind):
    token = new_form_token()
    return {
        "valid": token,
        "missing": None,
        "forged": "fixed-token",
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "signed-other": signing.dumps("x"),
    }[kind]


def _post(world, submission, token):
    paper = world.papers.get(submission["paper"])
    address = f"/comments/post/{paper.pk if paper else HUGE}/"
    pairs = [
        (key, world.parents.get(value, value) if key == "parent" else value)
        for key, value in submission["pairs"]
        if value is not None
    ]
    if token is not None:
        pairs.append(("token", token))
    client = world.client(submission["who"])
    if submission["encoding"] == "multipart":
        data = {}
        for key, value in pairs:
            data.setdefault(key, []).append(
                unquote(value.encoded) if isinstance(value, Raw) else value
            )
        return client.post(address, data)
    body = "&".join(
        f"{key}={value.encoded if isinstance(value, Raw) else quote(value, safe='')}"
        for key, value in pairs
    )
    return client.generic("POST", address, body, content_type="application/x-www-form-urlencoded")


def assert_nothing_half_saved():
    for comment in Comment.objects.annotate(events_count=Count("events")):
        assert comment.body_html, comment.pk
        assert len(comment.text_hash) == 64, comment.pk
        assert comment.events_count >= 1, comment.pk
        assert comment.events.order_by("at", "id").last().to_status == comment.status, comment.pk
        assert "\x00" not in comment.name + comment.email + comment.body, comment.pk
    for paper in Paper.objects.all():
        assert paper.comment_count == paper.comments.approved().count(), paper.pk


def _known(**changes):
    submission = {
        "who": "guest",
        "paper": "open",
        "token": "valid",
        "pairs": [
            ("name", "Rosa Quintero"),
            ("email", "rosa@example.net"),
            ("body", "Hello there."),
        ],
        "encoding": "form",
        "twice": False,
        "hold_first_comments": False,
    }
    for key, value in changes.items():
        if key in submission:
            submission[key] = value
        else:
            submission["pairs"] = [*submission["pairs"], (key, value)]
    return submission


def test_the_comment_form_never_answers_500_nor_half_saves(world, moderation):
    statuses = []

    @FUZZ
    @given(submission=submissions())
    @example(submission=_known())
    @example(submission=_known(twice=True))
    @example(submission=_known(parent="<approved>"))
    @example(submission=_known(parent="²"))
    @example(submission=_known(parent="٣"))
    @example(submission=_known(parent="１"))
    @example(submission=_known(parent=HUGE))
    @example(submission=_known(parent="9" * 5000))
    @example(submission=_known(body="a\x00b"))
    @example(submission=_known(name=Raw("a%00b")))
    @example(submission=_known(body=Raw("%ed%a0%80%ff")))
    @example(submission=_known(name="℡"))
    @example(submission=_known(token="missing"))
    @example(submission=_known(token="tampered"))
    @example(submission=_known(who="author", parent="<approved>"))
    @example(submission=_known(paper="closed"))
    @example(submission=_known(encoding="multipart", body="a\x00b"))
    def post_and_check(submission):
        moderation["checks"]["first_comment"] = submission["hold_first_comments"]
        token = _token(submission["token"])
        with rolled_back():
            before = Comment.objects.count()
            answers = [_post(world, submission, token)]
            if submission["twice"]:
                answers.append(_post(world, submission, token))
            for response in answers:
                error = response.exc_info[1] if getattr(response, "exc_info", None) else None
                assert 200 <= response.status_code < 500, (submission, error)
            added = Comment.objects.count() - before
            if all(response.status_code >= 400 for response in answers):
                assert added == 0, submission  # refused: nothing stored
            assert added <= 1, submission  # the same form twice is one comment
            assert_nothing_half_saved()
        statuses.extend(response.status_code for response in answers)

    post_and_check()
    # The fuzz reached the pipeline: comments were stored (a redirect to them) and refused.
    assert statuses.count(302) >= 10
    assert statuses.count(400) >= 10
