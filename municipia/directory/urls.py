from django.urls import path

from . import views

app_name = "directory"
# Fixed paths come before "<slug>/": an organisation cannot be called "import".
urlpatterns = [
    path("", views.search, name="search"),
    path("regions/", views.regions, name="regions"),
    path("import/", views.bulk_import, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path(
        "export/organisations.<str:fmt>",
        views.export_organisations,
        name="export_organisations",
    ),
    path("export/people.<str:fmt>", views.export_people, name="export_people"),
    path("<slug:slug>/", views.organisation_detail, name="organisation"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/verification/", views.verify, name="verify"),
    path(
        "<slug:slug>/challenges/add/",
        views.statement_form,
        {"kind": "challenge"},
        name="challenge_add",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/",
        views.statement_form,
        {"kind": "challenge"},
        name="challenge_edit",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/delete/",
        views.statement_delete,
        {"kind": "challenge"},
        name="challenge_delete",
    ),
    path(
        "<slug:slug>/expertise/add/",
        views.statement_form,
        {"kind": "expertise"},
        name="expertise_add",
    ),
    path(
        "<slug:slug>/expertise/<int:pk>/",
        views.statement_form,
        {"kind": "expertise"},
        name="expertise_edit",
    ),
    path(
        "<slug:slug>/expertise/<int:pk>/delete/",
        views.statement_delete,
        {"kind": "expertise"},
        name="expertise_delete",
    ),
    path("<slug:slug>/people/add/", views.person_form, name="person_add"),
    path("<slug:slug>/people/<int:pk>/", views.person_form, name="person_edit"),
    path("<slug:slug>/people/<int:pk>/delete/", views.person_delete, name="person_delete"),
]
