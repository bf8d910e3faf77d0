"""A page of the whole site, and a page of an edition (drafts for staff only)."""

from django.shortcuts import get_object_or_404, render

from .models import Page


def site_page(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user), edition=None, slug=slug)
    return render(request, "pages/page_detail.html", {"page": page})


def edition_page(request, edition, slug):
    page = get_object_or_404(
        Page.objects.visible_to(request.user).select_related("edition"),
        edition__slug=edition,
        slug=slug,
    )
    return render(request, "pages/page_detail.html", {"page": page, "edition": page.edition})
