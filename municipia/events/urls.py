from django.urls import path

from . import feeds, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("agenda/<str:token>.ics", feeds.personal_feed, name="agenda_feed"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/programme/setup/", views.rooms_and_days, name="setup"),
    path("<slug:slug>/programme/timetable/", views.programme_grid, name="programme_grid"),
    path("<slug:slug>/programme/sessions/", views.programme_list, name="programme_list"),
    path("<slug:slug>/programme.ics", feeds.programme_feed, name="programme_feed"),
    path("<slug:slug>/sessions/new/", views.session_edit, name="session_create"),
    path("<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<slug:slug>/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("<slug:slug>/sessions/<int:pk>.ics", feeds.session_feed, name="session_feed"),
    path("<slug:slug>/register/", views.register, name="register"),
    path(
        "<slug:slug>/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "<slug:slug>/registrations/<int:pk>/<str:decision>/",
        views.registration_decide,
        name="registration_decide",
    ),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/<int:pk>/add/", views.agenda_add, name="agenda_add"),
    path("<slug:slug>/agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path(
        "<slug:slug>/participants/export.<str:fmt>",
        views.participants_export,
        name="participants_export",
    ),
]
