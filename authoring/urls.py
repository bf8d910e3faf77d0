from django.urls import path

from . import views

# A URLconf: path() entries in the same shape as papers/urls.py's, as Django declares routes.
app_name = "authoring"
urlpatterns = [
    path("me/profile/", views.profile, name="profile"),
    path("me/papers/", views.my_papers, name="papers"),
    path("me/submit/<slug:edition>/", views.submit, name="submit"),
    path("me/submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("me/submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
]
