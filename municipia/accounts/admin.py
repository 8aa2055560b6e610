from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import rules, services
from .models import AuditEntry, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "organisation", "granted_by", "created_at")
    readonly_fields = ("role", "organisation", "granted_by", "created_at")
    can_delete = False
    autocomplete_fields = ("organisation",)

    def has_add_permission(self, request, obj=None):
        # Roles are granted through RoleGrantAdmin so that each grant is audited.
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "display_name", "preferred_language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "preferred_language")
    search_fields = ("email", "display_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [RoleGrantInline]

    def save_model(self, request, obj, form, change):
        staff_changed = change and "is_staff" in form.changed_data
        wanted_staff = obj.is_staff
        if staff_changed:
            obj.is_staff = not wanted_staff
        super().save_model(request, obj, form, change)
        if staff_changed:
            services.set_platform_staff(actor=request.user, user=obj, is_staff=wanted_staff)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "granted_by", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    fields = ("user", "role", "organisation")

    def has_change_permission(self, request, obj=None):
        # A grant is given or taken away, never edited in place.
        return False

    def save_model(self, request, obj, form, change):
        grant = services.grant_role(
            actor=request.user, user=obj.user, role=obj.role, organisation=obj.organisation
        )
        obj.pk = grant.pk

    def delete_model(self, request, obj):
        services.revoke_role(actor=request.user, grant=obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            services.revoke_role(actor=request.user, grant=grant)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_repr", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("actor_repr", "target_repr")
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return rules.can_view_audit_trail(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
