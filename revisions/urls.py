from django.urls import path

from . import views

# A paper's revisions, under the paper's own address (included before papers.urls).
app_name = "revisions"
paper = "editions/<slug:edition>/papers/<slug:slug>/"
urlpatterns = [
    path(f"{paper}revisions/", views.revision_list, name="list"),
    path(f"{paper}revisions/<int:number>/", views.revision_detail, name="revision"),
    path(f"{paper}revisions/compare/", views.revision_compare, name="compare"),
    path(f"{paper}edit/", views.paper_edit, name="edit"),
]
