"""Revision 1 of every paper that has none: the paper as it is when revisions begin to be
kept, dated from when it was made or published (whichever is earlier), so that its next
change has a version to be compared with, and every comment already written on it a version
it was written on.

The document is written by papers.document.paper_document, the one serializer, through the
real models (a historical model has none of their methods). It runs once, on a database made
before revisions; on a new database there is no paper yet and it does nothing.
"""

from django.db import migrations


def revision_one(apps, schema_editor):
    from papers.models import Paper
    from papers.revisions import paper_revision_baseline

    papers = Paper.objects.filter(revisions__isnull=True).select_related("edition", "stream")
    for paper in papers.iterator():
        paper_revision_baseline(paper)


class Migration(migrations.Migration):
    # After every migration of papers, so that the real models match the tables.
    dependencies = [("papers", "__latest__")]

    operations = [migrations.RunPython(revision_one, migrations.RunPython.noop, elidable=True)]
