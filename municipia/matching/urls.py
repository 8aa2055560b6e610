from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.choose_organisation, name="choose"),
    path("<slug:slug>/", views.find_partners, name="find"),
    path("<slug:slug>/deck/", views.deck, name="deck"),
    path("<slug:slug>/matches/", views.matches, name="matches"),
]
