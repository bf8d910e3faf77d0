"""Generated discussions: papers with many approved comments, for load and speed measurements.

Everything is made from a seeded random generator, so the same seed gives the same
discussion. Comments are built by comments.services.comment_build, exactly as posted ones
(same rendered HTML, tree fields and fingerprints), and stored by comments_import, as any
comment made elsewhere is (each with the moderation event that approved it), with ids chosen
here so that replies can point at parents in the same large batch.
"""

import datetime
import random
from functools import cached_property

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from comments.models import Comment
from comments.services import (
    Identity,
    body_fields,
    comment_build,
    comments_import,
    paper_discussion_changed,
)
from papers.models import Authorship, Edition, Paper, Person, Section, Stream
from papers.services import paper_render

MAX_DEPTH = 4
TOP_LEVEL_SHARE = 0.4
# A fixed date, so that the same seed gives the same timestamps on any database, any day.
PUBLISHED_ON = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)
DISTINCT_BODIES = 20000  # beyond this, bodies repeat: rendering 1,000,000 would take minutes

_OPENERS = [
    "I keep coming back to the point about",
    "What stayed with me after reading this was",
    "Thank you for a careful paper; my question is about",
    "From my own experience running a small forum,",
    "I am not fully convinced by the argument on",
    "This connects nicely with what our stream discussed about",
    "Reading this on a slow train, I kept thinking about",
    "Your section on",
]
_TOPICS = [
    "volunteer moderation",
    "the unpaid care work behind shared spaces",
    "trust between newcomers and long-time members",
    "how small groups set their own norms",
    "the cost of moving a community onto a platform",
    "anonymity and the choice of what to disclose",
    "burnout among the people who keep things running",
    "local participation in online media",
    "the difference between reach and belonging",
    "documentation as a form of hospitality",
]
_MIDDLES = [
    "It seems to me that the evidence points both ways here.",
    "In our group the same pattern appeared within a few months.",
    "I wonder whether the effect holds for groups that never meet in person.",
    "The paper makes this case well, though the examples are mostly from larger communities.",
    "A small change in how roles are named can shift who feels able to take part.",
    "We tried rotating the role every season, and it helped more than any tool did.",
    "Perhaps the real question is who notices the work when it is done well.",
    "There is a risk of romanticising volunteer effort that deserves a sentence or two.",
    "I would love to see the same question asked of groups outside English-speaking countries.",
    "Some of the newer members said the written guidelines were what made them stay.",
    "The numbers are striking, but the interviews say even more.",
    "It is easy to underestimate how much quiet labour sits behind a friendly thread.",
]
_CLOSERS = [
    "Thanks again for sharing this.",
    "Looking forward to the rest of the discussion.",
    "Curious to hear what others think.",
    "I will be citing this in my own paper, if you don't mind.",
    "Great work, and good luck with the revisions.",
]
_FIRST_NAMES = [
    "Ada",
    "Bilal",
    "Chiara",
    "Dmitri",
    "Efua",
    "Farid",
    "Greta",
    "Hiroshi",
    "Imani",
    "Jonas",
    "Kalani",
    "Lucía",
    "Mehmet",
    "Noor",
    "Oskar",
    "Priya",
]
_LAST_NAMES = [
    "Abara",
    "Bergström",
    "Castillo",
    "Dlamini",
    "Eriksen",
    "Fontaine",
    "Gupta",
    "Halvorsen",
    "Ibrahim",
    "Jovanović",
    "Kowalczyk",
    "Lindqvist",
    "Moreau",
]


def _body(rng):
    """80 to 150 words of Markdown prose, sometimes with a link or emphasis."""
    words_wanted = rng.randint(80, 150)
    topic = rng.choice(_TOPICS)
    sentences = [f"{rng.choice(_OPENERS)} *{topic}*."]
    count = len(sentences[0].split())
    while count < words_wanted - 8:
        sentence = rng.choice(_MIDDLES)
        if rng.random() < 0.15:
            sentence += f" See https://example.org/notes/{rng.randint(1, 9999)} for what we wrote."
        elif rng.random() < 0.1:
            sentence += f" There is a [short summary](https://example.net/s/{rng.randint(1, 999)})."
        sentences.append(sentence)
        count += len(sentence.split())
    sentences.append(rng.choice(_CLOSERS))
    text = " ".join(sentences)
    words = text.split()[:words_wanted]
    paragraphs = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])]
    return "\n\n".join(paragraphs)


def _commenters(rng, count):
    people = []
    for n in range(count):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        website = f"https://example.org/~{slugify(first)}{n}" if rng.random() < 0.3 else ""
        people.append(
            Identity(
                f"{first} {last}", f"{slugify(first)}.{slugify(last)}.{n}@example.net", website
            )
        )
    return people


def _paper(rng, seed, index, edition, stream, author):
    slug = f"generated-discussion-{seed}-{index}"
    title = f"A generated paper on {rng.choice(_TOPICS)} (seed {seed}, no. {index})"
    sections = ["\n\n".join(rng.choice(_MIDDLES) for _ in range(6)) for _ in range(3)]
    paper = Paper.objects.filter(edition=edition, slug=slug).first()
    if paper:
        paper.comments.all().delete()
        paper_discussion_changed(paper)  # counted again, and its pages go, even if none follow
        return paper
    paper = Paper.objects.create(
        edition=edition,
        stream=stream,
        slug=slug,
        title=title,
        thesis="Shared online spaces last when the work of keeping them is shared too.",
        status=Paper.Status.PUBLISHED,
        published_on=PUBLISHED_ON,
    )
    Authorship.objects.create(paper=paper, person=author, position=0)
    for position, heading in enumerate(["Introduction", "Discussion", "Conclusion"]):
        Section.objects.create(
            paper=paper, position=position, heading=heading, body=sections[position]
        )
    paper_render(paper)
    return paper


def _edition_and_stream():
    edition = Edition.objects.filter(slug="colloquy-2026").first() or Edition.objects.first()
    if edition is None:
        today = timezone.now().date()
        edition = Edition.objects.create(
            name="Generated Edition",
            year=today.year,
            slug="generated",
            starts_on=today,
            ends_on=today,
        )
    stream = edition.streams.first() or Stream.objects.create(
        edition=edition, name="Generated", slug="generated"
    )
    return edition, stream


def _author():
    user, _ = get_user_model().objects.get_or_create(
        username="generated-author",
        defaults={
            "email": "generated-author@example.org",
            "first_name": "Robin",
            "last_name": "Generated",
        },
    )
    person, _ = Person.objects.get_or_create(
        slug="generated-author", defaults={"display_name": "Robin Generated", "user": user}
    )
    return person


class _Bodies:
    """Generated bodies, each rendered and fingerprinted once however often it is used."""

    def __init__(self, rng):
        self.rng, self.made = rng, {}

    def next(self):
        if len(self.made) < DISTINCT_BODIES:
            body = _body(self.rng)
            if body not in self.made:
                self.made[body] = body_fields(body)
            return self.made[body]
        return self.made[self.rng.choice(self.keys)]

    @cached_property
    def keys(self):
        return list(self.made)


def _comments_for(paper, count, rng, bodies, people, author_identity, next_id):
    """Yield built comments with ids, parents before their replies, each posted 30 s to 15 min
    after the one before (the first, after the paper's publication)."""
    submitted_at = paper.published_on
    open_parents = []  # comments a reply may still go under (depth < MAX_DEPTH)
    for n in range(count):
        parent = None
        if n and open_parents and rng.random() > TOP_LEVEL_SHARE:
            recent = min(len(open_parents) - 1, int(rng.expovariate(0.05)))
            parent = open_parents[-1 - recent]
        by_author = parent is not None and parent.depth == 1 and rng.random() < 0.08
        identity = author_identity if by_author else rng.choice(people)
        content = bodies.next()
        comment = comment_build(
            paper=paper, identity=identity, body=content["body"], parent=parent, content=content
        )
        comment.pk = next_id + n
        submitted_at += datetime.timedelta(seconds=rng.randint(30, 900))
        comment.status, comment.submitted_at = Comment.Status.APPROVED, submitted_at
        if comment.depth < MAX_DEPTH:
            open_parents.append(comment)
            if len(open_parents) > 200:
                open_parents.pop(0)
        yield comment


def _reset_sequence():
    """Ids were chosen here; tell PostgreSQL's sequence (a no-op on SQLite)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(sql)


def generate(*, comments, seed=1, papers=1, stdout=None):
    """Create `papers` papers sharing `comments` approved comments; returns the papers."""
    rng = random.Random(seed)
    edition, stream = _edition_and_stream()
    person = _author()
    user = person.user
    author_identity = Identity(user.get_full_name(), user.email, user=user)
    people = _commenters(rng, 60)
    bodies = _Bodies(rng)
    made = []
    per_paper = [comments // papers + (1 if i < comments % papers else 0) for i in range(papers)]
    for index, count in enumerate(per_paper, start=1):
        with transaction.atomic():
            paper = _paper(rng, seed, index, edition, stream, person)
            next_id = (Comment.objects.aggregate(top=Max("id"))["top"] or 0) + 1
            comments_import(
                _comments_for(paper, count, rng, bodies, people, author_identity, next_id),
                reason="generated by generate_discussion",
            )
            _reset_sequence()
        made.append(paper)
        if stdout and papers > 1:
            stdout.write(f"  {index}/{papers}: {count} comments on {paper.get_absolute_url()}")
    _analyze()
    return made


def _analyze():
    """Fresh statistics for the query planner, as after any bulk load (PostgreSQL's autovacuum
    would get there in its own time; SQLite only ever does on ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
