"""Names stored before invisible characters were refused lose them.

A comment's name may carry zero-width characters or bidirectional controls (a right-to-left
override turns the rest of the line around on the page). Only comments whose name holds such
a character are read (a regular-expression filter in the database, the same class for SQLite
and PostgreSQL). A name that was nothing but such characters becomes common.names.NO_NAME.
The cached pages of the papers concerned are dropped. (The heading stored with each comment
then, which this migration wrote again too, is no longer stored: 0006.)
"""

from django.db import migrations

from common import names


def clean_stored_names(apps, schema_editor):
    from common.page_cache import pages_changed

    Comment = apps.get_model("comments", "Comment")
    Paper = apps.get_model("papers", "Paper")
    pattern = names.invisible_pattern(start=1)
    changed = []
    suspects = Comment.objects.filter(name__regex=pattern).only("pk", "paper", "name")
    for comment in suspects.iterator(chunk_size=500):
        name = names.clean_name(comment.name) or names.NO_NAME
        if name != comment.name:
            comment.name = name
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["name"], batch_size=500)
    papers = Paper.objects.filter(pk__in={comment.paper_id for comment in changed})
    for paper in papers.select_related("edition"):
        pages_changed(paper.edition.slug, paper.slug)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_person_indexes"), ("papers", "0001_initial")]

    operations = [migrations.RunPython(clean_stored_names, migrations.RunPython.noop)]
