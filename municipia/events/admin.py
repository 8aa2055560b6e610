"""Events in Django's admin, for platform staff. Registration statuses change
only through the services (approve, decline, cancel as admin actions), so the
waiting list is promoted and participants are told, as everywhere else."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipia.directory.admin import StaffPolicy

from . import services
from .models import AgendaItem, Day, Event, Registration, Room, Session, SessionPerson


class DayInline(StaffPolicy, admin.TabularInline):
    model = Day
    extra = 0
    fields = ["date", "theme", "order"]


class RoomInline(StaffPolicy, admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "capacity", "is_outside_venue", "address", "online_url", "order"]


@admin.register(Event)
class EventAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = ["title", "kind", "format", "starts_on", "ends_on", "visibility", "is_published"]
    list_filter = ["kind", "format", "visibility", "is_published"]
    search_fields = ["title", "slug", "city"]
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    raw_id_fields = ["created_by"]
    inlines = [DayInline, RoomInline]


class SessionPersonInline(StaffPolicy, admin.TabularInline):
    model = SessionPerson
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "guest_name", "guest_affiliation", "role", "order"]


@admin.register(Session)
class SessionAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = ["title", "event", "starts_at", "ends_at", "room", "kind", "audience"]
    list_filter = ["kind", "audience", "is_cancelled", "event"]
    search_fields = ["title", "external_id", "event__title"]
    raw_id_fields = ["event", "room", "track"]
    filter_horizontal = ["invited"]
    list_select_related = ["event", "room"]
    inlines = [SessionPersonInline]


def _apply(modeladmin, request, queryset, service, done_message):
    done = 0
    for registration in queryset.select_related("event"):
        try:
            service(actor=request.user, registration=registration)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", None) or [str(error)])
            modeladmin.message_user(
                request, f"{registration.participant_name}: {reason}", messages.WARNING
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.action(description=_("Approve the selected registrations"))
def approve(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        services.approve_registration,
        lambda n: (
            ngettext("%(n)d registration approved.", "%(n)d registrations approved.", n) % {"n": n}
        ),
    )


@admin.action(description=_("Decline the selected registrations"))
def decline(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        services.decline_registration,
        lambda n: (
            ngettext("%(n)d registration declined.", "%(n)d registrations declined.", n) % {"n": n}
        ),
    )


@admin.action(description=_("Cancel the selected registrations"))
def cancel(modeladmin, request, queryset):
    _apply(
        modeladmin,
        request,
        queryset,
        services.cancel_registration,
        lambda n: (
            ngettext("%(n)d registration cancelled.", "%(n)d registrations cancelled.", n)
            % {"n": n}
        ),
    )


class AgendaItemInline(StaffPolicy, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["session", "status", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # through the participant's agenda, where seats are counted


@admin.register(Registration)
class RegistrationAdmin(StaffPolicy, admin.ModelAdmin):
    list_display = [
        "participant_name",
        "participant_email",
        "event",
        "organisation",
        "status",
        "is_principal",
        "created_at",
    ]
    list_filter = ["status", "is_principal", "event"]
    search_fields = ["participant_name", "participant_email", "organisation__name"]
    raw_id_fields = ["event", "user", "organisation", "registered_by"]
    readonly_fields = ["status", "status_changed_at", "created_at", "feed_token"]
    list_select_related = ["event", "organisation"]
    actions = [approve, decline, cancel]
    inlines = [AgendaItemInline]

    def has_add_permission(self, request):
        return False  # registrations go through the registration service (capacity, e-mails)
