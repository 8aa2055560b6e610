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


class DeleteAccountForm(forms.Form):
    """The confirmation step of deleting one's account: the current password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password to confirm that you want to delete your account."),
    )

    # Password guesses on this form are limited like sign-in attempts.
    MAX_ATTEMPTS = 10
    WINDOW_SECONDS = 15 * 60

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        from .limits import over_rate_limit

        password = self.cleaned_data["password"]
        if over_rate_limit(
            action="delete_account",
            user=self.user,
            limit=self.MAX_ATTEMPTS,
            window=self.WINDOW_SECONDS,
        ):
            raise forms.ValidationError(
                _("Too many attempts. Please try again in a few minutes."), code="rate_limited"
            )
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password
