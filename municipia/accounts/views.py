from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from rest_framework.authtoken.models import Token

from . import selectors, services
from .forms import AccountSettingsForm


@login_required
def profile(request):
    """The account page: name, language, roles, API token, links to security settings."""
    user = request.user
    if request.method == "POST":
        form = AccountSettingsForm(request.POST)
        if form.is_valid():
            services.update_account(user=user, **form.cleaned_data)
            messages.success(request, _("Your account settings were saved."))
            language = form.cleaned_data["preferred_language"]
            translation.activate(language)
            response = redirect("accounts:profile")
            response.set_cookie("django_language", language, samesite="Lax")
            return response
    else:
        form = AccountSettingsForm(
            initial={
                "display_name": user.display_name,
                "preferred_language": user.preferred_language,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "grants": selectors.role_grants_of(user=user),
            "has_token": Token.objects.filter(user=user).exists(),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


@login_required
@require_POST
def create_token(request):
    token = services.create_api_token(user=request.user)
    # Shown once, on the next page only; never again afterwards.
    request.session["new_api_token"] = token.key
    messages.success(request, _("A new API token was created. Copy it now: it is shown only once."))
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request):
    services.revoke_api_token(user=request.user)
    messages.success(request, _("Your API token was revoked."))
    return redirect("accounts:profile")


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice for signed-in users."""
    language = request.POST.get("language")
    if request.user.is_authenticated and translation.check_for_language(language):
        user = request.user
        if language != user.preferred_language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language", "updated_at"])
    return django_set_language(request)
