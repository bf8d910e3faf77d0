from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("pages/<slug:slug>/", views.site_page, name="site_page"),
    path("editions/<slug:edition>/pages/<slug:slug>/", views.edition_page, name="edition_page"),
]
