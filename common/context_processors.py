"""What every page of the Django templates knows of the site itself."""

from django.conf import settings


def site(request):
    """The site's name and tagline (COLLOQUY_SITE_NAME, COLLOQUY_SITE_TAGLINE), set in one place.

    Named site_title, not site_name: Django's sign-in view puts its own site_name (the host)
    in its pages' context, which would win over this.
    """
    return {
        "site_title": settings.COLLOQUY_SITE_NAME,
        "site_tagline": settings.COLLOQUY_SITE_TAGLINE,
    }
