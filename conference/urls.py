from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from papers import invitations


def media(request, path):
    """Figures' images: files this site re-encoded itself (common.images), so nothing in them
    runs; the strict CSP and nosniff headers hold here as on every page."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path(
        "accounts/invitation/<uidb64>/<token>/", invitations.set_password, name="invitation_confirm"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("comments.urls")),
    path("", include("pages.urls")),
    path("", include("authoring.urls")),
    path("", include("revisions.urls")),
    path("", include("feeds.urls")),
    path("", include("search.urls")),
    path("", include("papers.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(r"^media/(?P<path>.+)$", media))
