"""Two actions of the comments admin, for staff answering a person's request: export the
personal data of the selected comments' posters as JSON, and erase it (after a page that
asks how, as Django's "Delete selected" asks first). The people are the selected comments'
accounts, and the addresses of guests (comments/personal_data.py)."""

import json

from django.contrib import admin, messages
from django.http import HttpResponse

from common.admin_actions import confirmation_page, confirmed

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
    if not confirmed(request) or texts not in ("keep", "remove"):
        return confirmation_page(
            modeladmin,
            request,
            queryset,
            "admin/comments/erase_personal_data_confirmation.html",
            action="erase_personal_data",
            title="Erase personal data",
            listed=people,
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
