from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("for-you/", views.calls_for_you, name="for_you"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/follow/", views.call_follow, name="call_follow"),
    path("calls/<int:pk>/consortium/", views.call_consortium, name="consortium"),
    path(
        "calls/<int:pk>/consortium/publish/",
        views.consortium_publish,
        name="consortium_publish",
    ),
    path("reminders/", views.alerts, name="alerts"),
    path("deadlines/<str:token>.ics", views.feed, name="feed"),
    path("partner-searches/", views.search_list, name="searches"),
    path("partner-searches/new/", views.search_create, name="search_create"),
    path("partner-searches/<int:pk>/", views.search_detail, name="search"),
    path("partner-searches/<int:pk>/interest/", views.search_interest, name="search_interest"),
    path(
        "partner-searches/<int:pk>/answers/<int:interest_id>/",
        views.search_answer,
        name="search_answer",
    ),
    path(
        "partner-searches/<int:pk>/consortium/",
        views.search_consortium,
        name="search_consortium",
    ),
    path("partner-searches/<int:pk>/close/", views.search_close, name="search_close"),
]
