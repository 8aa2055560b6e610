from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("token/new/", views.create_token, name="create_token"),
    path("token/revoke/", views.revoke_token, name="revoke_token"),
]
