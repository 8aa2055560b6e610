from django import forms
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _

from municipia.directory.forms import ImportForm
from municipia.taxonomy import selectors as taxonomy_selectors

from .enums import PartnershipKind, PartnershipStatus
from .services import MAX_MESSAGE_LENGTH


class MessageForm(forms.Form):
    """A message, and for people who write for both organisations, which one."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    organisation = forms.TypedChoiceField(
        label=_("On behalf of"), coerce=int, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, sides=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.choices = [(o.pk, o.name) for o in sides]
        if len(sides) > 1:
            field.widget = forms.Select(choices=field.choices)
            field.required = True
        elif sides:
            field.initial = sides[0].pk


def _theme_field():
    return forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )


def _theme_choices():
    return [(theme.code, theme.label) for theme in taxonomy_selectors.all_themes()]


class PartnershipForm(forms.Form):
    """Recording a partnership: with whom, what kind, since when, on what themes."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    partner = forms.CharField(
        label=_("Partner"),
        max_length=500,
        help_text=_(
            "The partner's address in the directory: the last part of its profile's web "
            "address, e.g. koln."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind of partnership"), choices=PartnershipKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=PartnershipStatus.choices, initial=PartnershipStatus.EXPLORING
    )
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    themes = _theme_field()

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["themes"].choices = _theme_choices()

    def clean_partner(self) -> str:
        """The address, also when the whole web address of the profile is pasted
        (https://…/en/directory/koln/)."""
        value = self.cleaned_data["partner"].strip().rstrip("/")
        slug = value.rsplit("/", 1)[-1].lower()
        if not slug_re.match(slug):
            raise forms.ValidationError(
                _(
                    "Give the partner's address in the directory, the last part of its "
                    "profile's web address (for instance koln), or paste that web address."
                ),
                code="invalid",
            )
        return slug


class PartnershipEditForm(forms.Form):
    """Changing a recorded partnership: its status, start date and themes."""

    status = forms.ChoiceField(label=_("Status"), choices=PartnershipStatus.choices)
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    themes = _theme_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = _theme_choices()


class PartnershipImportForm(ImportForm):
    """A file of partnerships: the directory's import form without its choice
    of contents."""

    kind = None
