import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from rest_framework.authtoken.models import Token

from municipia.languages import in_language

from . import selectors, services
from .forms import AccountSettingsForm, DeleteAccountForm
from .personal_data import personal_data_of


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
    try:
        # The interface language it falls back to ("de" for "de-AT"): only those
        # are stored, whatever Django itself has a catalogue for.
        language = translation.get_supported_language_variant(request.POST.get("language") or "")
    except LookupError:
        language = None
    if request.user.is_authenticated and language:
        user = request.user
        if language != user.preferred_language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language", "updated_at"])
    response = django_set_language(request)
    if language and response.status_code == 302:
        # Django translates the address back in the language active for this
        # request (from the cookie or the browser), so a page whose prefix differs
        # from it (/en/ read by a French browser) came back unchanged.
        response["Location"] = in_language(response["Location"], language)
    return response


@login_required
def personal_data(request):
    """ "Your data": download what municipia holds about you, or delete your account."""
    return render(
        request,
        "accounts/personal_data.html",
        {"blockers": selectors.account_deletion_blockers(user=request.user)},
    )


@login_required
def download_personal_data(request):
    """The person's data as a JSON file (GDPR articles 15 and 20)."""
    data = personal_data_of(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"municipia-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's history cache.
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def delete_account(request):
    """Delete one's own account after re-entering the password (GDPR article 17).

    GET shows the confirmation step; only a POST with the right password
    deletes. Staff and last administrators are told what to hand over first."""
    user = request.user
    blockers = selectors.account_deletion_blockers(user=user)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.delete_account(user=user)
        except ValidationError as error:
            # Someone changed the roles in the meantime: show why, as above.
            blockers = error.messages
        else:
            logout(request)
            messages.success(
                request, _("Your account and your personal data were deleted. Goodbye.")
            )
            return redirect("home")
    status = 200 if request.method == "GET" or not blockers else 409
    return render(
        request,
        "accounts/delete_account.html",
        {
            "form": form,
            "blockers": blockers,
            "download_url": reverse("accounts:download_personal_data"),
        },
        status=status,
    )
