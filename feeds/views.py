from django.http import HttpResponse

from common.site import absolute_url


def robots_txt(request):
    """Crawlers kept out of the admin and the people's own pages, pointed to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /me/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
