from django.urls import path, register_converter

from . import data_views, poster_views, views


class PageNumberConverter:
    """1, 2, 3...: no 0 and no leading zeros, so each page has one address."""

    regex = "[1-9][0-9]*"
    to_python = int
    to_url = str


register_converter(PageNumberConverter, "page")

# A URLconf: path() entries in the same shape as papers/urls.py's, as Django declares routes.
app_name = "comments"
urlpatterns = [
    path("comments/post/<int:paper_id>/", views.post_comment, name="post"),
    path("comments/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/<int:comment_id>/edit/", poster_views.edit_comment, name="edit"),
    path("comments/<int:comment_id>/delete/", poster_views.delete_comment, name="delete"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("me/", views.me, name="me"),
    path("my-comments/", data_views.request_link, name="personal_data_request"),
    path("my-comments/<str:secret>/", data_views.personal_data_page, name="personal_data"),
    path(
        "my-comments/<str:secret>/data.json",
        data_views.personal_data_json,
        name="personal_data_json",
    ),
    path("my-comments/<str:secret>/erase/", data_views.erase_page, name="personal_data_erase"),
    path("me/comments/", data_views.personal_data_page, name="my_personal_data"),
    path("me/comments/data.json", data_views.personal_data_json, name="my_personal_data_json"),
    path("me/comments/erase/", data_views.erase_page, name="my_personal_data_erase"),
    path("me/delete-account/", data_views.delete_account_page, name="delete_account"),
    path(
        "editions/<slug:edition>/papers/<slug:slug>/comments-page-<page:page>/",
        views.discussion_page,
        name="page",
    ),
]
