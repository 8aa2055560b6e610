"""Pages of matchmaking, for the editors of an organisation: find partners, the
partnership swipe deck and the matches. Reads through `selectors`, writes
through `services`, permissions from `accounts.rules`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from municipia.accounts import rules
from municipia.directory.models import Organisation

from . import reasons, selectors, services
from .enums import SwipeDecision
from .forms import PartnerSearchForm, SwipeForm

RESULTS_SHOWN = 20
DECK_SIZE = 1


def _organisation_for(request, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not rules.can_swipe_for(request.user, organisation):
        raise PermissionDenied(_("You may not look for partners for this organisation."))
    return organisation


def _context(request, organisation: Organisation, **extra) -> dict:
    return {
        "organisation": organisation,
        "acting_for": selectors.organisations_to_act_for(user=request.user),
        "suggestions_pending": selectors.suggestions_pending(organisation=organisation),
        **extra,
    }


@login_required
def choose_organisation(request):
    """Go straight to the partner search of the only organisation the user edits,
    or let them choose."""
    organisations = list(selectors.organisations_to_act_for(user=request.user))
    chosen = request.GET.get("organisation", "")
    if any(org.slug == chosen for org in organisations):
        return redirect("matching:find", slug=chosen)
    if len(organisations) == 1:
        return redirect("matching:find", slug=organisations[0].slug)
    return render(request, "matching/choose.html", {"organisations": organisations})


@login_required
def find_partners(request, slug: str):
    organisation = _organisation_for(request, slug)
    form = PartnerSearchForm(request.GET or None)
    preferences = form.preferences() if form.is_bound and form.is_valid() else None
    results = []
    if not form.is_bound or form.is_valid():
        suggestions = selectors.suggestions_for_organisation(
            organisation=organisation,
            viewer=request.user,
            limit=RESULTS_SHOWN,
            preferences=preferences,
        )
        results = reasons.sentences_for(suggestions, organisation)
    return render(
        request, "matching/find.html", _context(request, organisation, form=form, results=results)
    )


def _next_card(request, organisation: Organisation):
    suggestions = selectors.suggestions_for_organisation(
        organisation=organisation, viewer=request.user, limit=DECK_SIZE, exclude_swiped=True
    )
    return reasons.sentences_for(suggestions, organisation)[:1]


@login_required
@vary_on_headers("HX-Request")
def deck(request, slug: str):
    """One candidate card at a time; Like, Pass and Save post here."""
    organisation = _organisation_for(request, slug)
    announcement = ""
    new_match = None
    if request.method == "POST":
        form = SwipeForm(request.POST)
        if not form.is_valid():
            raise Http404("No such candidate.")
        try:
            result = services.swipe(
                actor=request.user,
                organisation=organisation,
                candidate=form.cleaned_data["candidate"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            announcement = " ".join(error.messages)
        except services.RateLimited as error:
            announcement = str(error)
        else:
            name = result.swipe.candidate.name
            announcement = {
                SwipeDecision.LIKE: _("You liked %(name)s."),
                SwipeDecision.PASS: _("You passed on %(name)s."),
                SwipeDecision.SAVE: _("You saved %(name)s for later."),
            }[result.swipe.decision] % {"name": name}
            if result.is_new_match:
                new_match = result.swipe.candidate
                announcement = _("It's a match: %(name)s likes you too!") % {"name": name}
        if request.headers.get("HX-Request") != "true":
            if announcement:
                messages.info(request, announcement)
            return redirect("matching:deck", slug=organisation.slug)
    context = _context(
        request,
        organisation,
        cards=_next_card(request, organisation),
        announcement=announcement,
        new_match=new_match,
    )
    if request.headers.get("HX-Request") == "true":
        return render(request, "matching/_card.html", context)
    return render(request, "matching/deck.html", context)


@login_required
def matches(request, slug: str):
    organisation = _organisation_for(request, slug)
    found = selectors.matches_of(organisation=organisation)
    urls = selectors.conversation_urls(matches=[match for match, _partner in found])
    rows = [
        {"match": match, "partner": partner, "conversation_url": urls.get(match.pk, "")}
        for match, partner in found
    ]
    saved = selectors.saved_candidates(organisation=organisation)
    return render(
        request, "matching/matches.html", _context(request, organisation, rows=rows, saved=saved)
    )
