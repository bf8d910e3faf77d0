"""Write a generated paper's discussion as JSON (in thread order), for django-comments-xtd."""

import json
import sys

import django


def main():
    django.setup()
    from comments.models import Comment

    comments = Comment.objects.filter(paper__slug=sys.argv[1]).approved().in_thread_order()
    rows = [
        {
            "id": c.pk,
            "parent": c.parent_id,
            "name": c.name,
            "email": c.email,
            "url": c.website,
            "body": c.body,
            "submitted": c.submitted_at.isoformat(),
        }
        for c in comments
    ]
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
