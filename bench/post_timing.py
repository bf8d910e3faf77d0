"""Time posting one comment through the whole pipeline (moderation included), in our process.

Each post is a fresh guest with fresh text, on the paper holding the most comments, inside a
transaction that is rolled back, so the database stays as generated. Prints one JSON line.
"""

import json
import statistics
import sys
import time

import django


def main():
    django.setup()
    from django.db import transaction

    from comments.models import Comment
    from comments.services import ClientSignals, Identity, comment_create
    from papers.models import Paper

    paper = Paper.objects.order_by("-comment_count").first()
    times = []
    for n in range(int(sys.argv[1]) if len(sys.argv) > 1 else 20):
        identity = Identity(f"Bench Poster {n}", f"bench-{n}-{time.time_ns()}@example.net")
        body = f"Benchmark comment {n} {time.time_ns()}: a fresh thought on this paper's method."
        with transaction.atomic():
            started = time.perf_counter()
            comment_create(
                paper=paper,
                identity=identity,
                body=body,
                signals=ClientSignals(client_key=f"bench-{n}", seconds_to_post=10),
            )
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    stored = Comment.objects.count()
    print(
        json.dumps({"median_ms": statistics.median(times), "max_ms": max(times), "stored": stored})
    )


if __name__ == "__main__":
    main()
