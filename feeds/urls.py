from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import sitemaps

app_name = "feeds"
paper = "editions/<slug:edition>/papers/<slug:slug>"
stream = "editions/<slug:edition>/streams/<slug:stream>"
urlpatterns = [
    path("feeds/papers/atom/", feeds.LatestPapersAtom(), name="papers_atom"),
    path("feeds/papers/rss/", feeds.LatestPapersRss(), name="papers_rss"),
    path("feeds/comments/atom/", feeds.LatestCommentsAtom(), name="comments_atom"),
    path("feeds/comments/rss/", feeds.LatestCommentsRss(), name="comments_rss"),
    path("editions/<slug:edition>/feeds/atom/", feeds.EditionPapersAtom(), name="edition_atom"),
    path("editions/<slug:edition>/feeds/rss/", feeds.EditionPapersRss(), name="edition_rss"),
    path(f"{stream}/feeds/atom/", feeds.StreamPapersAtom(), name="stream_atom"),
    path(f"{stream}/feeds/rss/", feeds.StreamPapersRss(), name="stream_rss"),
    path(f"{paper}/comments/atom/", feeds.PaperCommentsAtom(), name="paper_comments_atom"),
    path(f"{paper}/comments/rss/", feeds.PaperCommentsRss(), name="paper_comments_rss"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
