"""Store an exported discussion as XtdComments through xtd's own save(), which threads them.

Usage (in the xtd virtualenv): python load_tree.py SLUG < tree.json
"""

import json
import sys
from datetime import datetime

import django


def main():
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django_comments_xtd.models import XtdComment

    from xtd_site.models import Article

    slug = sys.argv[1]
    Article.objects.filter(slug=slug).delete()
    article = Article.objects.create(title=f"Discussion {slug}", slug=slug)
    site = Site.objects.get_current()
    kind = ContentType.objects.get_for_model(Article)
    new_ids = {}
    for row in json.load(sys.stdin):
        comment = XtdComment(
            content_type=kind,
            object_pk=str(article.pk),
            site=site,
            user_name=row["name"],
            user_email=row["email"],
            user_url=row["url"],
            comment=row["body"],
            submit_date=datetime.fromisoformat(row["submitted"]),
            is_public=True,
            parent_id=new_ids.get(row["parent"], 0),
        )
        comment.save()
        new_ids[row["id"]] = comment.pk
    print(article.get_absolute_url())


if __name__ == "__main__":
    main()
