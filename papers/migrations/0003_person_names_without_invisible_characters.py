"""Authors' names stored before invisible characters were removed at input lose them.

A Person.display_name set in the admin or by import_paper before they cleaned names may carry
zero-width characters or bidirectional controls (a right-to-left override turns the rest of
the line around wherever the name is shown). Only the people whose name holds such a character
are read (a regular-expression filter in the database, the same class for SQLite and
PostgreSQL); their name is stored as common.names.clean_name makes it, or common.names.NO_NAME
when nothing is left. The cached pages of their papers are dropped. Reversing does nothing:
the removed characters are not kept.
"""

from django.db import migrations

from common import names


def clean_person_names(apps, schema_editor):
    from common.page_cache import pages_changed

    Person = apps.get_model("papers", "Person")
    Paper = apps.get_model("papers", "Paper")
    suspects = Person.objects.filter(display_name__regex=names.invisible_pattern(start=1))
    changed = []
    for person in suspects.only("pk", "display_name").iterator(chunk_size=500):
        name = names.clean_name(person.display_name) or names.NO_NAME
        if name != person.display_name:
            person.display_name = name
            changed.append(person)
    Person.objects.bulk_update(changed, ["display_name"], batch_size=500)
    papers = Paper.objects.filter(authorships__person__in=changed).distinct()
    for paper in papers.select_related("edition"):
        pages_changed(paper.edition.slug, paper.slug)


class Migration(migrations.Migration):
    dependencies = [("papers", "0002_reference_date_detail")]

    operations = [migrations.RunPython(clean_person_names, migrations.RunPython.noop)]
