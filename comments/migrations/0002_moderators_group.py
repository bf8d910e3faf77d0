"""The Moderators group: exactly what working the moderation queue needs, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    "view_comment",
    "change_comment",
    "delete_comment",
    "view_pendingcomment",
    "change_pendingcomment",
    "delete_pendingcomment",
    "view_moderationevent",
    "view_moderationreason",
]


def create_group(apps, schema_editor):
    comments = apps.get_app_config("comments")
    comments.models_module = True  # permissions are otherwise made only after migrate
    create_permissions(comments, apps=apps, verbosity=0)
    comments.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
