from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from .models import Article


def article(request, slug):
    return render(request, "article.html", {"object": get_object_or_404(Article, slug=slug)})


urlpatterns = [
    path("article/<slug:slug>/", article),
    path("comments/", include("django_comments_xtd.urls")),
]
