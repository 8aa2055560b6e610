"""Pages of funding: calls, calls for you, deadline alerts and the calendar feed,
partner searches and the consortium builder. Views read through `selectors`,
write through `services` and ask `accounts.rules` who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts import rules
from municipia.directory.choices import country_choices
from municipia.directory.models import Organisation
from municipia.directory.selectors import organisation_for_viewer, visible_organisations
from municipia.matching.selectors import organisations_to_act_for
from municipia.parsing import parse_id, parse_ids
from municipia.taxonomy.models import Theme

from . import consortium_builder, feeds, selectors, services
from .enums import CountryGroup, InterestStatus, SearchStatus
from .forms import AlertSettingsForm, CallForm, InterestForm, PartnerSearchForm

PAGE_SIZE = 25
CALL_M2M = ("themes", "sdgs")


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields on top)."""
    if hasattr(error, "message_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _param(data, name: str, limit: int) -> str:
    """A text parameter of a query or a post, cut to `limit` characters, without
    NUL characters: PostgreSQL refuses them in a query (an error, not "nothing
    found"), and no real word, code or slug has one."""
    return data.get(name, "").replace("\x00", "")[:limit]


def _acting_for(request, slug: str | None) -> tuple[list[Organisation], Organisation | None]:
    """The organisations the user edits, and the one chosen by `slug` (staff may
    name any organisation they can see)."""
    own = list(organisations_to_act_for(user=request.user))
    slug = (slug or "").replace("\x00", "")
    if slug:
        chosen = next((o for o in own if o.slug == slug), None)
        if chosen is None and rules.is_platform_staff(request.user):
            chosen = organisation_for_viewer(slug=slug, viewer=request.user)
            own.insert(0, chosen)
        if chosen is None:
            raise Http404("Not an organisation you act for.")
        return own, chosen
    return own, (own[0] if own else None)


# -- calls -----------------------------------------------------------------------------------


def call_list(request):
    """Funding calls: those accepting applications, or all, searchable."""
    query = _param(request.GET, "q", 200).strip()
    theme = _param(request.GET, "theme", 64)
    country = _param(request.GET, "country", 2)
    include_closed = request.GET.get("closed") == "1"
    calls = selectors.search_calls(
        viewer=request.user,
        query=query,
        theme=theme,
        country=country,
        include_closed=include_closed,
    )
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/call_list.html",
        {
            "page": page,
            "query": query,
            "theme": theme,
            "country": country,
            "include_closed": include_closed,
            "themes": Theme.objects.select_related("parent"),
            "countries": country_choices(),
            "may_publish": rules.is_platform_staff(request.user)
            or bool(rules.publishing_organisation_ids(request.user)),
        },
    )


def call_detail(request, pk: int):
    call = selectors.call_for_viewer(call_id=pk, viewer=request.user)
    own = []
    if request.user.is_authenticated:
        own = [
            (organisation, selectors.check_eligibility(call, organisation))
            for organisation in organisations_to_act_for(user=request.user)
        ]
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "eligible_countries": selectors.eligible_countries_of(call),
            "lead_countries": selectors.lead_countries_of(call),
            "group_labels": dict(CountryGroup.choices),
            "own": own,
            "following": selectors.is_following(user=request.user, call=call),
            "may_edit": rules.can_edit_call(request.user, call),
            "searches": selectors.visible_searches(viewer=request.user).filter(
                call=call, status=SearchStatus.OPEN
            ),
        },
    )


def _publishing_organisations(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=rules.publishing_organisation_ids(user)).order_by("name")
    )


def _call_fields(form) -> dict:
    data = dict(form.cleaned_data)
    return {name: value for name, value in data.items() if name not in CALL_M2M}


@login_required
def call_create(request):
    organisations = _publishing_organisations(request.user)
    if not organisations and not rules.is_platform_staff(request.user):
        raise PermissionDenied
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        raw = request.POST.get("organisation", "")
        organisation = next((o for o in organisations if str(o.pk) == raw), None)
        if organisation is None and (raw or not rules.is_platform_staff(request.user)):
            # Never another organisation than the one chosen: a stale or edited
            # form is refused, not published in someone else's name.
            form.add_error(None, _("Choose one of the organisations you publish for."))
        else:
            call = _saved_call(
                form, services.publish_call, actor=request.user, organisation=organisation
            )
            if call is not None:
                messages.success(request, _("The call was saved."))
                return redirect(call)
    return render(
        request,
        "funding/call_form.html",
        {"form": form, "title": _("Publish a funding call"), "organisations": organisations},
    )


def _saved_call(form, save, **target):
    """The call as `save` (publish or update) stored it, or None with the
    service's errors put on the form."""
    try:
        return save(
            themes=form.cleaned_data["themes"],
            sdgs=form.cleaned_data["sdgs"],
            **_call_fields(form),
            **target,
        )
    except ValidationError as error:
        _add_service_errors(form, error)
        return None


@login_required
def call_edit(request, pk: int):
    call = selectors.call_for_viewer(call_id=pk, viewer=request.user)
    if not rules.can_edit_call(request.user, call):
        raise PermissionDenied
    form = CallForm(request.POST or None, instance=call)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _saved_call(form, services.update_call, actor=request.user, call=call)
    )
    if saved:
        messages.success(request, _("The call was saved."))
        return redirect(call)
    return render(
        request,
        "funding/call_form.html",
        {"form": form, "title": _("Edit the call"), "call": call, "organisations": []},
    )


@login_required
@require_POST
def call_follow(request, pk: int):
    call = selectors.call_for_viewer(call_id=pk, viewer=request.user)
    follow = request.POST.get("follow") != "0"
    services.follow_call(user=request.user, call=call, follow=follow)
    messages.success(
        request,
        _("You follow this call: its deadline is in your reminders and calendar.")
        if follow
        else _("You no longer follow this call."),
    )
    return redirect(call)


@login_required
def calls_for_you(request):
    """Open calls an organisation the user works for may apply to, best fit first."""
    acting_for, organisation = _acting_for(request, request.GET.get("organisation"))
    ranked = selectors.ranked_calls_for_you(organisation=organisation) if organisation else []
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/calls_for_you.html",
        {
            "organisation": organisation,
            "acting_for": acting_for,
            "found": page.object_list,
            "page": page,
            "query_string": urlencode({"organisation": organisation.slug}) if organisation else "",
        },
    )


# -- alerts and the calendar feed -------------------------------------------------------------


@login_required
def alerts(request):
    settings_ = services.alert_settings_for(user=request.user)
    form = AlertSettingsForm(
        request.POST or None,
        initial={"days_before": ", ".join(str(d) for d in settings_.days_before)},
    )
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            services.renew_feed_token(user=request.user)
            messages.success(
                request, _("Your calendar has a new address; the old one no longer works.")
            )
            return redirect("funding:alerts")
        if form.is_valid():
            try:
                services.update_alert_settings(
                    user=request.user, days_before=form.cleaned_data["days_before"]
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Your reminders were saved."))
                return redirect("funding:alerts")
    feed_url = request.build_absolute_uri(
        reverse("funding:feed", kwargs={"token": settings_.feed_token})
    )
    return render(
        request,
        "funding/alerts.html",
        {
            "form": form,
            "feed_url": feed_url,
            "followed": selectors.followed_calls(user=request.user),
        },
    )


def feed(request, token: str):
    """Deadlines of the calls a user follows, as an iCalendar feed. The address is
    the user's secret (no login: calendar applications cannot log in)."""
    settings_ = None if "\x00" in token else selectors.alert_settings_by_token(token=token)
    if settings_ is None:
        raise Http404("No such calendar.")
    text = feeds.deadline_calendar(
        calls=selectors.followed_calls(user=settings_.user),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="funding-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# -- partner searches --------------------------------------------------------------------------


def search_list(request):
    query = _param(request.GET, "q", 200).strip()
    theme = _param(request.GET, "theme", 64)
    country = _param(request.GET, "country", 2)
    call_id = parse_id(request.GET.get("call", ""))
    searches = selectors.search_partner_searches(
        viewer=request.user, query=query, theme=theme, country=country, call_id=call_id
    )
    page = Paginator(searches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/search_list.html",
        {
            "page": page,
            "query": query,
            "theme": theme,
            "country": country,
            "themes": Theme.objects.select_related("parent"),
            "countries": country_choices(),
            "may_publish": request.user.is_authenticated
            and bool(organisations_to_act_for(user=request.user)),
        },
    )


@login_required
def search_create(request):
    acting_for, organisation = _acting_for(request, request.GET.get("organisation"))
    if organisation is None:
        raise PermissionDenied
    initial = {}
    call_id = parse_id(request.GET.get("call", ""))
    if call_id is not None:
        call = selectors.call_for_viewer(call_id=call_id, viewer=request.user)
        initial = {
            "call": call.pk,
            "title": _("Partners for %(title)s") % {"title": call.title},
            "countries": call.eligible_countries,
            "country_groups": call.eligible_groups,
            "kinds": call.eligible_types,
            "themes": list(call.themes.all()),
            "partners_sought": max(1, call.min_partners - 1),
        }
    calls = selectors.open_calls()
    form = PartnerSearchForm(request.POST or None, initial=initial, calls=calls)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        try:
            search = services.publish_partner_search(
                actor=request.user, owner=organisation, themes=themes, **data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your partner search is published."))
            return redirect(search)
    return render(
        request,
        "funding/search_form.html",
        {"form": form, "organisation": organisation, "acting_for": acting_for},
    )


def search_detail(request, pk: int):
    search = selectors.search_for_viewer(search_id=pk, viewer=request.user)
    manage = rules.can_manage_partner_search(request.user, search)
    answering = []
    if request.user.is_authenticated and search.status == SearchStatus.OPEN:
        answering = [
            o for o in organisations_to_act_for(user=request.user) if o.pk != search.owner_id
        ]
    form = InterestForm(organisations=answering) if answering else None
    recommended = []
    if manage and search.status == SearchStatus.OPEN:
        recommended = selectors.recommended_for_search(search=search, viewer=request.user)
    return render(
        request,
        "funding/search_detail.html",
        {
            "search": search,
            "manage": manage,
            "interests": selectors.interests_of(search=search, viewer=request.user),
            "form": form,
            "recommended": recommended,
            "statuses": InterestStatus,
            "group_labels": dict(CountryGroup.choices),
        },
    )


@login_required
@require_POST
def search_interest(request, pk: int):
    search = selectors.search_for_viewer(search_id=pk, viewer=request.user)
    answering = [o for o in organisations_to_act_for(user=request.user) if o.pk != search.owner_id]
    form = InterestForm(request.POST, organisations=answering)
    if form.is_valid():
        organisation = next(o for o in answering if o.pk == form.cleaned_data["organisation"])
        try:
            services.express_interest(
                actor=request.user,
                search=search,
                organisation=organisation,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your interest was sent."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(search)


@login_required
@require_POST
def search_answer(request, pk: int, interest_id: int):
    """Shortlist, invite or decline an answer (owner), or invite a recommended
    organisation (`organisation` instead of an interest)."""
    search = selectors.search_for_viewer(search_id=pk, viewer=request.user)
    if not rules.can_manage_partner_search(request.user, search):
        raise PermissionDenied
    try:
        if interest_id:
            interest = search.interests.filter(pk=interest_id).first()
            if interest is None:
                raise Http404("No such answer.")
            services.set_interest_status(
                actor=request.user, interest=interest, status=request.POST.get("status", "")
            )
        else:
            organisation_id = parse_id(request.POST.get("organisation", ""))
            organisation = (
                Organisation.objects.filter(pk=organisation_id).first()
                if organisation_id is not None
                else None
            )
            if organisation is None:
                raise Http404("No such organisation.")
            services.invite_to_search(actor=request.user, search=search, organisation=organisation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect(search)


@login_required
@require_POST
def search_close(request, pk: int):
    search = selectors.search_for_viewer(search_id=pk, viewer=request.user)
    try:
        services.close_partner_search(
            actor=request.user, search=search, complete=request.POST.get("complete") != "0"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The partner search is closed."))
    return redirect(search)


# -- consortium builder --------------------------------------------------------------------------


def _member_ids(request) -> list[int] | None:
    """The consortium being edited, from the address (None: ask for a proposal)."""
    if "member" not in request.GET and "edited" not in request.GET:
        return None
    ids = parse_ids(request.GET.getlist("member"))
    add, remove = parse_id(request.GET.get("add", "")), parse_id(request.GET.get("remove", ""))
    if add is not None and add not in ids:
        ids.append(add)
    if remove in ids:
        ids.remove(remove)
    return ids


def _consortium_page(request, *, call=None, search=None):
    acting_for, lead = _acting_for(request, request.GET.get("lead"))
    if lead is None or not rules.can_build_consortium_for(request.user, lead):
        raise PermissionDenied
    ids = _member_ids(request)
    if ids is None:
        built = consortium_builder.propose(actor=request.user, lead=lead, call=call, search=search)
    else:
        # Only organisations the user may see: an id in the address must not
        # reveal a hidden organisation's name.
        partners = list(
            visible_organisations(viewer=request.user)
            .filter(pk__in=ids)
            .exclude(pk=lead.pk)
            .in_bulk()
            .values()
        )
        partners.sort(key=lambda o: ids.index(o.pk))
        built = consortium_builder.check(
            actor=request.user, lead=lead, partners=partners, call=call, search=search
        )
    in_consortium = {m.organisation.pk for m in built.members} | {lead.pk}
    addable = [m for m in built.pool if m.organisation.pk not in in_consortium]
    return render(
        request,
        "funding/consortium.html",
        {
            "call": call,
            "search": search,
            "lead": lead,
            "acting_for": acting_for,
            "built": built,
            "addable": addable,
            "edited": ids is not None,
            "action": request.path,
        },
    )


@login_required
def call_consortium(request, pk: int):
    """Propose a consortium for a call around one of the user's organisations; let
    them change it, with every rule checked again; publish a partner search from it."""
    call = selectors.call_for_viewer(call_id=pk, viewer=request.user)
    return _consortium_page(request, call=call)


@login_required
def search_consortium(request, pk: int):
    search = selectors.search_for_viewer(search_id=pk, viewer=request.user)
    return _consortium_page(request, search=search)


@login_required
@require_POST
def consortium_publish(request, pk: int):
    """Publish a partner search from a consortium for a call: its partners are
    invited at once, the places still open are sought."""
    call = selectors.call_for_viewer(call_id=pk, viewer=request.user)
    _acting_for_list, lead = _acting_for(request, request.POST.get("lead"))
    if lead is None:
        raise PermissionDenied
    ids = parse_ids(request.POST.getlist("member"))
    partners = list(
        selectors.visible_organisations_by_id(viewer=request.user, ids=ids).exclude(pk=lead.pk)
    )
    seeking = max(1, call.min_partners - 1 - len(partners)) if call.min_partners else 1
    try:
        search = services.publish_partner_search(
            actor=request.user,
            owner=lead,
            title=_("Consortium for %(title)s") % {"title": call.title},
            purpose=_param(request.POST, "purpose", 10000).strip()
            or _("%(lead)s prepares an application to “%(title)s” and invites partners.")
            % {"lead": lead.name, "title": call.title},
            call=call,
            partners_sought=max(seeking, len(partners)),
            countries=call.eligible_countries,
            country_groups=call.eligible_groups,
            kinds=call.eligible_types,
            themes=list(call.themes.all()),
            invite=partners,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(
            reverse("funding:consortium", kwargs={"pk": call.pk}) + f"?lead={lead.slug}"
        )
    messages.success(request, _("Your partner search is published and the partners are invited."))
    return redirect(search)
