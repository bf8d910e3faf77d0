from django.urls import path, re_path

from . import cite_views, views

# A URLconf: path() entries in the same shape as comments/urls.py's, as Django declares routes.
app_name = "papers"
urlpatterns = [
    path("", views.home, name="home"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("editions/", views.edition_list, name="editions"),
    path("editions/<slug:edition>/", views.edition_detail, name="edition"),
    path("editions/<slug:edition>/streams/<slug:stream>/", views.stream_detail, name="stream"),
    path("editions/<slug:edition>/papers/<slug:slug>/", views.paper_detail, name="paper"),
    re_path(
        r"^editions/(?P<edition>[-\w]+)/papers/(?P<slug>[-\w]+)/cite\.(?P<extension>bib|ris|json)$",
        cite_views.paper_citation,
        name="cite",
    ),
]
