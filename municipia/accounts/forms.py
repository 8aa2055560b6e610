from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountSettingsForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Shown to other users instead of your e-mail address."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Pages and e-mails are shown in this language."),
    )
