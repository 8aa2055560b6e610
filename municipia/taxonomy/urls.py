from django.urls import path

from . import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.theme_index, name="index"),
    path("sdg/<int:number>/", views.sdg_detail, name="sdg"),
    path("<slug:code>/", views.theme_detail, name="theme"),
]
