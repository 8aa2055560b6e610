"""The directory in Django's admin, for platform staff.

Pages and the API go through the services; the admin edits rows directly, so
it recomputes what the services would (the search text after names change)
and leaves verification to the verify action, which goes through the service
and so is audited."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipia.accounts import rules

from . import services
from .models import Challenge, Expertise, ImportJob, Organisation, OrganisationName, Person


class StaffPolicy:
    """Permissions from `accounts.rules` (platform staff look after the whole
    directory) rather than from Django's per-model permission table."""

    def has_module_permission(self, request):
        return rules.is_platform_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_platform_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return rules.is_platform_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return rules.is_platform_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return rules.is_platform_staff(request.user)


class OrganisationNameInline(StaffPolicy, admin.TabularInline):
    model = OrganisationName
    extra = 0
    fields = ("language", "name")


class PersonInline(StaffPolicy, admin.TabularInline):
    model = Person
    extra = 0
    fields = ("name", "position", "title", "email", "phone", "consent_given_at")
    readonly_fields = ("consent_given_at",)
    show_change_link = True


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Verified")), ("no", _("Not verified"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(verified_at__isnull=self.value() == "no")
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "region_name", "population", "verified_at")
    list_filter = ("kind", VerifiedFilter, "visibility", "is_placeholder", "country")
    search_fields = ("name", "slug", "search_text")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("member_of",)
    readonly_fields = ("verified_at", "verified_by", "search_text", "created_at", "updated_at")
    inlines = (OrganisationNameInline, PersonInline)
    actions = ("verify", "withdraw_verification")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Counting 100,000 rows on every list page is not worth it.
    show_full_result_count = False
    list_per_page = 50

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text(organisation=form.instance)

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        for organisation in queryset:
            services.verify_organisation(actor=request.user, organisation=organisation)
        messages.success(request, _("The selected organisations are verified."))

    @admin.action(description=_("Withdraw the verification of the selected organisations"))
    def withdraw_verification(self, request, queryset):
        for organisation in queryset:
            services.withdraw_verification(actor=request.user, organisation=organisation)
        messages.success(request, _("The verification was withdrawn."))


class StatementAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = ("title", "organisation", "language", "updated_at")
    list_filter = ("language", "themes")
    search_fields = ("title", "text", "organisation__name")
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("themes", "sdgs")
    list_select_related = ("organisation",)


admin.site.register(Challenge, StatementAdmin)
admin.site.register(Expertise, StatementAdmin)


@admin.register(Person)
class PersonAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = ("name", "organisation", "position", "consent_given_at")
    list_filter = ("position",)
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("user",)
    list_select_related = ("organisation",)


@admin.register(ImportJob)
class ImportJobAdmin(StaffPolicy, admin.ModelAdmin):
    """Read-only: jobs are made by uploads and changed only by their task."""

    list_display = ("filename", "kind", "dry_run", "status", "uploaded_by", "created_at")
    list_filter = ("status", "kind", "dry_run")
    search_fields = ("filename", "uploaded_by__email")
    list_select_related = ("uploaded_by",)
    date_hierarchy = "created_at"
    readonly_fields = [
        "uploaded_by",
        "kind",
        "filename",
        "file",
        "dry_run",
        "language",
        "status",
        "created_at",
        "started_at",
        "finished_at",
        "report",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
