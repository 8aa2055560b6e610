from django.contrib import admin

from .models import SustainableDevelopmentGoal, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "kind", "parent", "position")
    list_filter = ("kind",)
    search_fields = ("code",)


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "label", "colour")
