"""Output and input serializers of the API, one per resource and direction."""

from django.conf import settings
from rest_framework import serializers

from municipia.accounts.models import RoleGrant, User
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class TranslatedTextField(serializers.DictField):
    """Text per language code: {"en": …, "fr": …, "es": …, "de": …}."""

    child = serializers.CharField()


class ThemeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Label in the request's language")
    description = serializers.CharField(read_only=True)
    labels = TranslatedTextField(read_only=True)
    descriptions = TranslatedTextField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Theme
        fields = ["code", "kind", "parent", "position", "label", "description", "labels", "descriptions"]


class SustainableDevelopmentGoalSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    labels = TranslatedTextField(read_only=True)
    descriptions = TranslatedTextField(read_only=True)

    class Meta:
        model = SustainableDevelopmentGoal
        fields = ["number", "colour", "label", "description", "labels", "descriptions"]


class RoleGrantSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RoleGrant
        fields = ["role", "organisation", "organisation_name"]


class CurrentUserSerializer(serializers.ModelSerializer):
    roles = RoleGrantSerializer(source="role_grants", many=True, read_only=True)
    is_platform_staff = serializers.BooleanField(source="is_staff", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "preferred_language", "is_platform_staff", "roles"]
        read_only_fields = ["id", "email"]


class CurrentUserUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
