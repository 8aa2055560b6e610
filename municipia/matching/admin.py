from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import EngineSnapshot, Match, ScoringModelVersion, Swipe


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that matchmaking writes itself: staff look, they do not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EngineSnapshot)
class EngineSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "data_read_at",
        "organisations",
        "backend",
        "scoring_model",
        "build_seconds",
        "size_in_mb",
        "created_at",
    ]
    readonly_fields = [f.name for f in EngineSnapshot._meta.fields]

    @admin.display(description=_("size (MB)"))
    def size_in_mb(self, snapshot):
        return f"{snapshot.size_bytes / 2**20:.1f}"


@admin.register(ScoringModelVersion)
class ScoringModelVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "fitted_at", "is_active"]
    list_filter = ["is_active"]
    readonly_fields = ["version", "fitted_at", "is_active", "evaluation", "parameters"]


@admin.register(Swipe)
class SwipeAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "candidate", "decision", "by", "updated_at"]
    list_filter = ["decision"]
    search_fields = ["organisation__name", "candidate__name"]
    list_select_related = ["organisation", "candidate", "by"]


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ["organisation_a", "organisation_b", "created_at"]
    search_fields = ["organisation_a__name", "organisation_b__name"]
    list_select_related = ["organisation_a", "organisation_b"]
