"""An admin action's page that asks before it acts, as Django's "Delete selected" asks: the
selected objects kept in hidden fields, and a form that posts the action again with
post=yes (templates/admin/action_confirmation.html, which each action's page extends)."""

from django.contrib.admin import helpers
from django.template.response import TemplateResponse


def confirmation_page(modeladmin, request, queryset, template, *, action, title, listed, **context):
    """The page asking whether to run the action (its name) on the queryset; listed is what
    it shows (nothing left to act on when empty), context what the action's own template
    needs besides."""
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": modeladmin.model._meta,
            "listed": listed,
            "selected": queryset.values_list("pk", flat=True),
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


def confirmed(request):
    """Whether this POST is the confirming page's, not the change list's first."""
    return request.POST.get("post") == "yes"
