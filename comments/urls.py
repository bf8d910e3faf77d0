from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("comments/post/<int:paper_id>/", views.post_comment, name="post"),
    path("comments/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("me/", views.me, name="me"),
    path(
        "editions/<slug:edition>/papers/<slug:slug>/comments-page-<int:page>/",
        views.discussion_page,
        name="page",
    ),
]
