"""Names stored before invisible characters were refused lose them, and their headings too.

A comment's name may carry zero-width characters or bidirectional controls (a right-to-left
override turns the rest of the line around on the page); the heading stored with it
(heading_html) shows them. Only comments whose name or heading holds such a character are read
(a regular-expression filter in the database, the same class for SQLite and PostgreSQL), and
their heading is written again by comments.threads.comment_heading_html. A name that was
nothing but such characters becomes common.names.NO_NAME. The cached pages of the papers
concerned are dropped.
"""

from django.db import migrations
from django.db.models import Q

from common import names


def clean_stored_names(apps, schema_editor):
    from comments.threads import comment_heading_html
    from common.page_cache import pages_changed

    Comment = apps.get_model("comments", "Comment")
    Paper = apps.get_model("papers", "Paper")
    pattern = names.invisible_pattern(start=1)
    suspects = Comment.objects.filter(Q(name__regex=pattern) | Q(heading_html__regex=pattern))
    fields = ("pk", "paper", "name", "website", "by_paper_author", "submitted_at", "heading_html")
    changed = []
    for comment in suspects.only(*fields).iterator(chunk_size=500):
        name = names.clean_name(comment.name) or names.NO_NAME
        heading = comment_heading_html(comment)
        if (name, heading) != (comment.name, comment.heading_html):
            comment.name, comment.heading_html = name, heading
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["name", "heading_html"], batch_size=500)
    papers = Paper.objects.filter(pk__in={comment.paper_id for comment in changed})
    for paper in papers.select_related("edition"):
        pages_changed(paper.edition.slug, paper.slug)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_person_indexes"), ("papers", "0001_initial")]

    operations = [migrations.RunPython(clean_stored_names, migrations.RunPython.noop)]
