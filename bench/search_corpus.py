"""Inside Django (run by bench/search_timing.py): make the search benchmark's conference, or
time searches on it.

    python bench/search_corpus.py load --papers 200 --comments 100000 --seed 1
    python bench/search_corpus.py query --queries 200 --seed 2

The text is made of a vocabulary of 20,000 made-up words drawn with Zipf-Mandelbrot
frequencies (p(rank) ∝ 1 / (rank + 100)), so that, as in real discussions once common words
are left out, the most frequent word is in about one comment in ten and most words are
rare. Comments are built by comment_build and stored by comments_import, as any import
stores them (indexed at its end), then the index is made again and the tables vacuumed and
analysed, as autovacuum soon would. Queries draw their words from the same distribution:
people search the words the discussion uses. Each query is one GET of the results page
through Django's test client (DEBUG off; the page cache never keeps a page with a query
string), timed from request to rendered response.
"""

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from comments.models import Comment  # noqa: E402
from comments.services import Identity, comment_build, comments_import  # noqa: E402
from papers.models import Authorship, Edition, Paper, Person, Section, Stream  # noqa: E402
from papers.services import paper_render  # noqa: E402
from search import indexing  # noqa: E402

VOCABULARY = 20000
MANDELBROT = 100
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
PUBLISHED_ON = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.UTC)
RESULTS = re.compile(r'<h2 id="results-heading">(?:([\d,]+) results?|No results)</h2>')


class Words:
    def __init__(self, seed):
        rng = random.Random(seed)
        made = set()
        while len(made) < VOCABULARY:
            made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = sorted(made)
        rng.shuffle(self.words)
        weights = [1 / (rank + MANDELBROT) for rank in range(1, VOCABULARY + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def draw(self, n):
        total = self.cumulative[-1]
        return [
            self.words[bisect.bisect(self.cumulative, self.rng.random() * total)] for _ in range(n)
        ]

    def sentence(self, low, high):
        words = self.draw(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."


def load(papers, comments, seed):
    words = Words(seed)
    edition = Edition.objects.create(
        name="Search bench", year=2025, slug="search-bench", starts_on="2025-01-01",
        ends_on="2025-12-31",
    )  # fmt: skip
    streams = [
        Stream.objects.create(edition=edition, name=f"Stream {n}", slug=f"stream-{n}")
        for n in range(4)
    ]
    made = []
    for n in range(papers):
        paper = Paper.objects.create(
            edition=edition,
            stream=streams[n % len(streams)],
            title=words.sentence(6, 12)[:-1],
            slug=f"paper-{n}",
            thesis=words.sentence(15, 25),
            abstract=words.sentence(40, 60),
            status=Paper.Status.PUBLISHED,
            published_on=PUBLISHED_ON,
        )
        person = Person.objects.create(display_name=f"Author {n}", slug=f"author-{n}")
        Authorship.objects.create(paper=paper, person=person)
        for position in range(4):
            body = "\n\n".join(words.sentence(15, 30) for _ in range(8))
            Section.objects.create(paper=paper, position=position, heading=f"Part {position}",
                                   body=body)  # fmt: skip
        paper_render(paper)
        made.append(paper)
    start = time.perf_counter()

    def built():
        for n in range(comments):
            identity = Identity(f"Reader {n % 5000}", f"reader{n % 5000}@example.net")
            body = " ".join(words.sentence(6, 14) for _ in range(words.rng.randint(2, 5)))
            comment = comment_build(paper=made[n % papers], identity=identity, body=body)
            comment.status = Comment.Status.APPROVED
            comment.submitted_at = PUBLISHED_ON + datetime.timedelta(minutes=n)
            yield comment

    comments_import(built(), reason="search benchmark")
    imported = time.perf_counter() - start
    start = time.perf_counter()
    entries = indexing.rebuild()
    rebuilt = time.perf_counter() - start
    # What autovacuum does soon after so many rows change (the rebuild leaves 100,000 dead
    # ones on PostgreSQL): the queries are timed on the table as it then is.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(json.dumps({"entries": entries, "import_s": imported, "rebuild_s": rebuilt}))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def query(queries, seed):
    words, client = Words(1), Client(HTTP_HOST="127.0.0.1")
    words.rng = random.Random(seed)
    for warm in words.draw(20):
        client.get("/search/", {"q": warm})
    results = {}
    for label, size in (("one word", 1), ("two words", 2)):
        times, counts = [], []
        for _ in range(queries):
            q = " ".join(words.draw(size))
            start = time.perf_counter()
            response = client.get("/search/", {"q": q})
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            heading = RESULTS.search(response.content.decode())
            counts.append(int(heading[1].replace(",", "")) if heading[1] else 0)
        results[label] = {
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "max_ms": max(times),
            "median_results": statistics.median(counts),
            "max_results": max(counts),
        }
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["load", "query"])
    parser.add_argument("--papers", type=int, default=200)
    parser.add_argument("--comments", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.what == "load":
        load(args.papers, args.comments, args.seed)
    else:
        query(args.queries, args.seed)


if __name__ == "__main__":
    main()
