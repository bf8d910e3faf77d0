from django.contrib import admin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["excerpt", "name", "email", "paper", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["body", "name", "email"]
    raw_id_fields = ["paper", "parent", "root", "user"]
