from django.db import migrations
from django.db.models.functions import Lower, Trim


def lowercase_emails(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.update(email=Lower(Trim("email")))


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderators_group")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
