from django.contrib import admin

from .models import Conversation, Message, Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["organisation_a", "organisation_b", "kind", "status", "started_on"]
    list_filter = ["kind", "status"]
    search_fields = ["organisation_a__name", "organisation_b__name"]
    raw_id_fields = ["organisation_a", "organisation_b", "match", "recorded_by"]
    filter_horizontal = ["themes"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "sender_organisation", "text"]
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["organisation_a", "organisation_b", "last_message_at"]
    search_fields = ["organisation_a__name", "organisation_b__name"]
    raw_id_fields = ["organisation_a", "organisation_b", "match"]
    inlines = [MessageInline]
