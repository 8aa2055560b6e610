"""Output and input serializers of the API, one per resource and direction.

Output serializers are read-only through and through: their schema then describes
what the API returns, not what a database column would accept (the column limits
differ between SQLite and PostgreSQL, and the committed document must not)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipia.accounts import selectors as account_selectors
from municipia.accounts.models import RoleGrant, User
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated")
    code = serializers.CharField(
        help_text="Machine-readable reason: invalid, not_found, not_authenticated, "
        "authentication_failed, permission_denied, throttled…"
    )
    detail = serializers.CharField(help_text="Human-readable message in the request's language")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors only: messages per input field or parameter, "
        "by dotted path inside lists and objects (`names.1.language`); "
        "`non_field_errors` for those about the request as a whole",
    )


class TranslatedTextField(serializers.DictField):
    """Text per language code: {"en": …, "fr": …, "es": …, "de": …}."""

    child = serializers.CharField()


class ThemeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Label in the request's language")
    description = serializers.CharField(
        read_only=True, help_text="Description in the request's language"
    )
    labels = TranslatedTextField(read_only=True, help_text="Label per language code")
    descriptions = TranslatedTextField(read_only=True, help_text="Description per language code")
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the impact community a working group belongs to",
    )

    class Meta:
        model = Theme
        fields = [
            "code",
            "kind",
            "parent",
            "position",
            "label",
            "description",
            "labels",
            "descriptions",
        ]
        read_only_fields = fields


class SustainableDevelopmentGoalSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Label in the request's language")
    description = serializers.CharField(
        read_only=True, help_text="Description in the request's language"
    )
    labels = TranslatedTextField(read_only=True, help_text="Label per language code")
    descriptions = TranslatedTextField(read_only=True, help_text="Description per language code")

    class Meta:
        model = SustainableDevelopmentGoal
        fields = ["number", "colour", "label", "description", "labels", "descriptions"]
        read_only_fields = fields


class RoleGrantSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(
        source="organisation.slug",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Slug of the organisation the role is held for; null for a platform-wide role",
    )
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RoleGrant
        fields = ["role", "organisation", "organisation_name"]
        read_only_fields = fields


class CurrentUserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    is_platform_staff = serializers.BooleanField(source="is_staff", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "preferred_language", "is_platform_staff", "roles"]
        read_only_fields = fields

    @extend_schema_field(RoleGrantSerializer(many=True))
    def get_roles(self, user: User) -> list[dict]:
        # Through the selector so that the organisations come in the same query.
        return RoleGrantSerializer(account_selectors.role_grants_of(user=user), many=True).data


class StrictCharField(serializers.CharField):
    """Text input that must arrive as a string. DRF's CharField also takes numbers
    and turns them into text, which the schema does not allow; and it trims
    whitespace before checking the length, which the schema cannot express (the
    services trim instead)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CurrentUserUpdateSerializer(serializers.Serializer):
    display_name = StrictCharField(max_length=150, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
