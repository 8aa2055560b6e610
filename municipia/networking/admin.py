from django.contrib import admin

from .models import (
    AvailabilityBlock,
    Meeting,
    MeetingGrid,
    MeetingPoint,
    MeetingRequest,
    NetworkingPeriod,
    NetworkingProfile,
    SchedulerRun,
    Slot,
)


class NetworkingPeriodInline(admin.TabularInline):
    model = NetworkingPeriod
    extra = 0


@admin.register(MeetingGrid)
class MeetingGridAdmin(admin.ModelAdmin):
    list_display = ["event", "is_open", "slot_minutes", "break_minutes", "answer_deadline"]
    inlines = [NetworkingPeriodInline]
    raw_id_fields = ["event"]


@admin.register(MeetingPoint)
class MeetingPointAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "kind", "capacity", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["event"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["event", "starts_at", "ends_at", "period"]
    raw_id_fields = ["event"]


@admin.register(NetworkingProfile)
class NetworkingProfileAdmin(admin.ModelAdmin):
    list_display = ["registration", "is_active", "mode"]
    raw_id_fields = ["registration"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "event", "status", "priority", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "requester", "recipient", "proposed_slot", "proposed_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "slot", "meeting_point", "is_pinned"]
    raw_id_fields = ["request", "slot", "meeting_point", "run"]


@admin.register(AvailabilityBlock)
class AvailabilityBlockAdmin(admin.ModelAdmin):
    list_display = ["registration", "starts_at", "ends_at"]
    raw_id_fields = ["registration"]


@admin.register(SchedulerRun)
class SchedulerRunAdmin(admin.ModelAdmin):
    list_display = ["event", "started_at", "replan", "status"]
    readonly_fields = ["report"]
