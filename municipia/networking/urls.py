from django.urls import path

from . import views

app_name = "networking"
urlpatterns = [
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/profile/", views.profile, name="profile"),
    path("<slug:slug>/recommendations/", views.recommendations, name="recommendations"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/requests/", views.inbox, name="inbox"),
    path("<slug:slug>/requests/sent/", views.outbox, name="outbox"),
    path("<slug:slug>/requests/new/<int:registration_id>/", views.request_new, name="request_new"),
    path("<slug:slug>/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("<slug:slug>/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("<slug:slug>/meetings/", views.meetings, name="meetings"),
    path("<slug:slug>/meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("<slug:slug>/meetings/<int:pk>/no-show/", views.meeting_no_show, name="no_show"),
    path("<slug:slug>/availability/", views.availability, name="availability"),
    path(
        "<slug:slug>/availability/<int:pk>/delete/",
        views.availability_delete,
        name="availability_delete",
    ),
    path("<slug:slug>/manage/", views.dashboard, name="dashboard"),
    path("<slug:slug>/manage/requests/", views.all_requests, name="all_requests"),
    path("<slug:slug>/manage/grid/", views.grid_settings, name="grid"),
    path("<slug:slug>/manage/points/", views.meeting_points, name="points"),
    path("<slug:slug>/manage/points/<int:pk>/", views.meeting_point_edit, name="point_edit"),
    path("<slug:slug>/manage/run/", views.run, name="run"),
    path("<slug:slug>/manage/runs/<int:pk>/", views.run_report, name="run_report"),
    path("<slug:slug>/manage/tables/", views.table_plan, name="table_plan"),
    path("<slug:slug>/manage/export.json", views.export_json, name="export"),
    path("<slug:slug>/manage/import/", views.import_json, name="import"),
]
