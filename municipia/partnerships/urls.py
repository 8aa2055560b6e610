from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("new/", views.partnership_new, name="new"),
    path("import/", views.partnership_import, name="import"),
    path("<int:pk>/edit/", views.partnership_edit, name="edit"),
    path("conversations/", views.conversation_list, name="conversations"),
    path("conversations/start/", views.conversation_start, name="conversation_start"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
]
