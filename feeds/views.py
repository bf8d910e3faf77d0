from django.http import HttpResponse
from django.urls import reverse

from common.site import absolute_url


def robots_txt(request):
    """Crawlers kept out of the admin, the people's own pages and search results (endless,
    and each one a query), pointed to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /me/",
        f"Disallow: {reverse('search:search')}",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
