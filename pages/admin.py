from django.contrib import admin

from conference.hardening import HardenedModelAdmin

from .models import Page


@admin.register(Page)
class PageAdmin(HardenedModelAdmin):
    """Staff write a page's Markdown here; it is rendered and sanitised when saved."""

    list_display = ["title", "edition", "status", "in_navigation", "position", "updated_at"]
    list_filter = ["edition", "status", "in_navigation"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["edition", "title", "slug", "body", "status", "in_navigation", "position"]
    list_select_related = ["edition"]
