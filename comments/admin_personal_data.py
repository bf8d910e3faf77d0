"""Two actions of the comments admin, for staff answering a person's request: export the
personal data of the selected comments' posters as JSON, and erase it (after a page that
asks how, as Django's "Delete selected" asks first). The people are the selected comments'
accounts, and the addresses of guests (comments/personal_data.py)."""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse

from .personal_data import erase, personal_data


def _people(queryset):
    """(e-mail address, account) of each poster of the selected comments, once each: an
    account (whatever addresses it had), or a guest's address."""
    people = {}
    for comment in queryset.select_related("user").exclude(email="", user=None):
        if comment.user is not None:
            people.setdefault(("account", comment.user_id), ("", comment.user))
        else:
            people.setdefault(("address", comment.email), (comment.email, None))
    return list(people.values())


@admin.action(
    description="Export the personal data of these comments' posters (JSON)",
    permissions=["change"],
)
def export_personal_data(modeladmin, request, queryset):
    data = [personal_data(email=email, user=user) for email, user in _people(queryset)]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@admin.action(
    description="Erase the personal data of these comments' posters…", permissions=["delete"]
)
def erase_personal_data(modeladmin, request, queryset):
    people = _people(queryset)
    texts = request.POST.get("texts")
    if request.POST.get("post") != "yes" or texts not in ("keep", "remove"):
        request.current_app = modeladmin.admin_site.name
        return TemplateResponse(
            request,
            "admin/comments/erase_personal_data_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": "Erase personal data",
                "subtitle": None,
                "opts": modeladmin.model._meta,
                "people": people,
                "selected": queryset.values_list("pk", flat=True),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
    erased = sum(
        erase(email=email, user=user, remove_texts=texts == "remove", actor=request.user)
        for email, user in people
    )
    modeladmin.message_user(
        request,
        f"The personal data of {len(people)} people erased: {erased} comments.",
        messages.SUCCESS,
    )
