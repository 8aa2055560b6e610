"""Pages of the directory: search, organisation profiles, editing, verification,
bulk import and exports. Views read through `selectors`, write through
`services` and ask `accounts.rules` who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from municipia.accounts import rules
from municipia.matching.engine.tagging import suggest_themes

from . import exports, imports, selectors, services
from .choices import country_name, language_name
from .enums import OrganisationType
from .forms import (
    DirectorySearchForm,
    ImportForm,
    OrganisationProfileForm,
    PersonForm,
    StatementForm,
)
from .imports import jobs as import_jobs
from .maps import location_map
from .models import Challenge, Expertise, Person
from .text import decode_codes

PAGE_SIZE = 25
# Counting stops here: a broad search over 100,000 organisations then costs a
# bounded LIMIT instead of a full COUNT(*). Ten thousand is 400 pages, more
# than anyone pages through.
COUNT_LIMIT = 10_000
MEMBERS_SHOWN = 50
NAMES_SHOWN = 8


class _CappedPaginator(Paginator):
    """A paginator whose count is `selectors.count_up_to`'s bounded count."""

    def __init__(self, *args, count_limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.count_is_exact = True

    @cached_property
    def count(self) -> int:
        count, self.count_is_exact = selectors.count_up_to(self.object_list, limit=self.count_limit)
        return count


def _is_htmx_fragment_request(request) -> bool:
    # A history restore (back button after hx-push-url) needs the whole page.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _query_string_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filtered_organisations(request):
    form = DirectorySearchForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    arguments = form.search_arguments() if form.is_bound else {}
    return form, selectors.search_organisations(viewer=request.user, **arguments)


@vary_on_headers("HX-Request")
def search(request):
    """The directory: search by name in any language, filters, sort, pages."""
    form, organisations = _filtered_organisations(request)
    paginator = _CappedPaginator(organisations, PAGE_SIZE, count_limit=COUNT_LIMIT)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "organisation": organisation,
            "country_name": country_name(organisation.country),
        }
        for organisation in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "count": paginator.count,
        "count_is_exact": paginator.count_is_exact,
        "query_string": _query_string_without_page(request),
        "can_import": rules.can_bulk_import(request.user),
    }
    template = "directory/_results.html" if _is_htmx_fragment_request(request) else None
    return render(request, template or "directory/search.html", context)


def regions(request):
    """The region select for the chosen country (htmx swaps it in when the
    country changes; without JavaScript the search page fills it after submit)."""
    form = DirectorySearchForm({"country": request.GET.get("country", "")})
    return render(request, "directory/_region_field.html", {"form": form})


# -- organisation page --------------------------------------------------------


def _statement_context(statements):
    return [
        {"statement": statement, "language_name": language_name(statement.language)}
        for statement in statements
    ]


def organisation_detail(request, slug: str):
    """An organisation's profile: facts, challenges, expertise, people, map."""
    viewer = request.user
    organisation = selectors.organisation_for_viewer(slug=slug, viewer=viewer)
    can_edit = rules.can_edit_organisation(viewer, organisation)
    members = None
    member_count = 0
    if organisation.kind == OrganisationType.NATIONAL_ASSOCIATION:
        member_queryset = selectors.visible_organisations(viewer=viewer).filter(
            member_of=organisation
        )
        member_count = member_queryset.count()
        members = list(member_queryset.order_by("-population", "name")[:MEMBERS_SHOWN])
    other_names = _other_names(organisation)
    context = {
        "organisation": organisation,
        "names_shown": other_names[:NAMES_SHOWN],
        "names_more": other_names[NAMES_SHOWN:],
        "country_name": country_name(organisation.country),
        "working_languages": [
            language_name(code) for code in decode_codes(organisation.working_languages)
        ],
        "partnership_interests": _interest_labels(organisation.partnership_interests),
        "description_language_name": language_name(organisation.description_language),
        "challenges": _statement_context(selectors.challenges_of(organisation=organisation)),
        "expertise": _statement_context(selectors.expertise_of(organisation=organisation)),
        "people": selectors.visible_people(organisation=organisation, viewer=viewer),
        "members": members,
        "member_count": member_count,
        "map": location_map(organisation),
        "can_edit": can_edit,
        "can_verify": rules.can_verify_organisation(viewer, organisation)
        and organisation.kind != OrganisationType.NATIONAL_ASSOCIATION,
        "show_verifier": rules.is_platform_staff(viewer)
        or rules.manages_association_of(viewer, organisation),
    }
    return render(request, "directory/organisation.html", context)


def _other_names(organisation) -> list:
    """Other names once each, those with a known language first (GeoNames adds
    dozens of spellings without one)."""
    seen, names = set(), []
    for other in sorted(organisation.other_names.all(), key=lambda n: (not n.language, n.name)):
        if other.name not in seen and other.name != organisation.name:
            seen.add(other.name)
            names.append(other)
    return names


def _interest_labels(value: str) -> list[str]:
    from .enums import PartnershipInterest

    labels = dict(PartnershipInterest.choices)
    return [str(labels.get(code, code)) for code in decode_codes(value)]


def _editable_organisation(request, slug: str):
    organisation = selectors.organisation_for_viewer(slug=slug, viewer=request.user)
    if not rules.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("You may not edit this organisation."))
    return organisation


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


@login_required
def organisation_edit(request, slug: str):
    """The profile form for the organisation's admins and editors."""
    organisation = _editable_organisation(request, slug)
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST, request.FILES, organisation=organisation)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.update_organisation_profile(
                        actor=request.user, organisation=organisation, **form.profile_fields()
                    )
                    services.set_other_names(
                        actor=request.user,
                        organisation=organisation,
                        names=form.cleaned_data["other_names"],
                    )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The profile was saved."))
                return redirect(organisation)
    else:
        form = OrganisationProfileForm(
            initial=OrganisationProfileForm.initial_for(organisation), organisation=organisation
        )
    return render(
        request, "directory/organisation_form.html", {"organisation": organisation, "form": form}
    )


# -- challenges and expertise ---------------------------------------------------

STATEMENTS = {
    "challenge": {
        "model": Challenge,
        "add": services.add_challenge,
        "update": services.update_challenge,
        "delete": services.delete_challenge,
        "argument": "challenge",
    },
    "expertise": {
        "model": Expertise,
        "add": services.add_expertise,
        "update": services.update_expertise,
        "delete": services.delete_expertise,
        "argument": "expertise",
    },
}


def _statement_labels(kind: str) -> dict[str, str]:
    if kind == "challenge":
        return {
            "add": _("Add a challenge"),
            "edit": _("Edit the challenge"),
            "delete": _("Delete the challenge"),
            "saved": _("The challenge was saved."),
            "deleted": _("The challenge was deleted."),
        }
    return {
        "add": _("Add expertise offered"),
        "edit": _("Edit the expertise offered"),
        "delete": _("Delete the expertise offered"),
        "saved": _("The expertise offered was saved."),
        "deleted": _("The expertise offered was deleted."),
    }


def _statement(organisation, kind: str, pk: int):
    statement = (
        STATEMENTS[kind]["model"]
        .objects.filter(organisation=organisation, pk=pk)
        .prefetch_related("themes", "sdgs")
        .first()
    )
    if statement is None:
        raise Http404("No such statement.")
    statement.organisation = organisation
    return statement


@login_required
def statement_form(request, slug: str, kind: str, pk: int | None = None):
    """Add (no `pk`) or edit a challenge or an offer of expertise."""
    organisation = _editable_organisation(request, slug)
    config = STATEMENTS[kind]
    statement = _statement(organisation, kind, pk) if pk is not None else None
    labels = _statement_labels(kind)
    theme_suggestions = None
    if request.method == "POST" and "suggest_themes" in request.POST:
        form, theme_suggestions = _form_with_suggested_themes(request.POST)
    elif request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                if statement is None:
                    config["add"](
                        actor=request.user, organisation=organisation, **form.statement_fields()
                    )
                else:
                    config["update"](
                        actor=request.user,
                        **{config["argument"]: statement},
                        **form.statement_fields(),
                    )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, labels["saved"])
                return redirect(f"{organisation.get_absolute_url()}#{kind}")
    elif statement is not None:
        form = StatementForm(initial=StatementForm.initial_for(statement))
    else:
        form = StatementForm(
            initial={"language": organisation.description_language or request.LANGUAGE_CODE}
        )
    return render(
        request,
        "directory/statement_form.html",
        {
            "organisation": organisation,
            "form": form,
            "statement": statement,
            "kind": kind,
            "title": labels["edit"] if statement else labels["add"],
            "theme_suggestions": theme_suggestions,
        },
    )


def _form_with_suggested_themes(data) -> tuple[StatementForm, list[str]]:
    """The form as it was typed, not saved, with the themes its text is about
    checked as well (auto-tagging), and the names of those themes."""
    typed = {
        "title": data.get("title", ""),
        "text": data.get("text", ""),
        "language": data.get("language", ""),
        "themes": data.getlist("themes"),
        "sdgs": data.getlist("sdgs"),
    }
    form = StatementForm(initial=typed)
    names = {code: name for _group, options in form.theme_group_choices for code, name in options}
    found = [
        s.code for s in suggest_themes(f"{typed['title']}. {typed['text']}") if s.code in names
    ]
    form.initial["themes"] = list(dict.fromkeys([*typed["themes"], *found]))
    return form, [names[code] for code in found]


@login_required
def statement_delete(request, slug: str, kind: str, pk: int):
    """Confirm, then delete a challenge or an offer of expertise."""
    organisation = _editable_organisation(request, slug)
    statement = _statement(organisation, kind, pk)
    labels = _statement_labels(kind)
    if request.method == "POST":
        config = STATEMENTS[kind]
        config["delete"](actor=request.user, **{config["argument"]: statement})
        messages.success(request, labels["deleted"])
        return redirect(f"{organisation.get_absolute_url()}#{kind}")
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "organisation": organisation,
            "object": statement,
            "title": labels["delete"],
            "cancel_url": f"{organisation.get_absolute_url()}#{kind}",
        },
    )


# -- people -----------------------------------------------------------------------


def _person(organisation, pk: int) -> Person:
    person = Person.objects.filter(organisation=organisation, pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    person.organisation = organisation
    return person


@login_required
def person_form(request, slug: str, pk: int | None = None):
    """Add (no `pk`) or edit a person of the organisation, with their consent."""
    organisation = _editable_organisation(request, slug)
    person = _person(organisation, pk) if pk is not None else None
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            consent = fields.pop("consent")
            try:
                with transaction.atomic():
                    if person is None:
                        services.add_person(
                            actor=request.user,
                            organisation=organisation,
                            consent_given_at=timezone.now() if consent else None,
                            **fields,
                        )
                    else:
                        services.update_person(actor=request.user, person=person, **fields)
                        if consent != person.has_consented:
                            services.record_consent(person=person, given=consent)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The person was saved."))
                return redirect(f"{organisation.get_absolute_url()}#people")
    elif person is not None:
        form = PersonForm(initial=PersonForm.initial_for(person))
    else:
        form = PersonForm()
    return render(
        request,
        "directory/person_form.html",
        {
            "organisation": organisation,
            "form": form,
            "person": person,
            "title": _("Edit a person") if person else _("Add a person"),
        },
    )


@login_required
def person_delete(request, slug: str, pk: int):
    organisation = _editable_organisation(request, slug)
    person = _person(organisation, pk)
    if request.method == "POST":
        services.delete_person(actor=request.user, person=person)
        messages.success(request, _("The person was removed."))
        return redirect(f"{organisation.get_absolute_url()}#people")
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "organisation": organisation,
            "object": person,
            "title": _("Remove a person"),
            "cancel_url": f"{organisation.get_absolute_url()}#people",
        },
    )


# -- verification -------------------------------------------------------------------


@login_required
@require_POST
def verify(request, slug: str):
    organisation = selectors.organisation_for_viewer(slug=slug, viewer=request.user)
    if request.POST.get("action") == "withdraw":
        services.withdraw_verification(actor=request.user, organisation=organisation)
        messages.success(request, _("The verification was withdrawn."))
    else:
        services.verify_organisation(actor=request.user, organisation=organisation)
        messages.success(request, _("The organisation is now shown as verified."))
    return redirect(organisation)


# -- bulk import and exports -----------------------------------------------------------


@login_required
def bulk_import(request):
    """Upload a CSV or XLSX file of organisations or people. The file is checked
    and written by a background job (`imports.jobs`), whose page follows it:
    everything is checked first, then written in one transaction, or nothing is."""
    if not rules.can_bulk_import(request.user):
        raise PermissionDenied(_("Only staff and association managers may import."))
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = import_jobs.start_import_job(
                actor=request.user,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect(job)
    else:
        form = ImportForm()
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "jobs": selectors.recent_import_jobs(uploader=request.user),
            "organisation_columns": imports.ORGANISATION_COLUMNS,
            "people_columns": imports.PEOPLE_COLUMNS,
        },
    )


@login_required
@vary_on_headers("HX-Request")
def import_job(request, pk: int):
    """An uploaded import: its status while it waits or runs (the page polls
    itself), then its report."""
    job = selectors.import_job_for_viewer(job_id=pk, viewer=request.user)
    if (
        _is_htmx_fragment_request(request)
        and job.is_pending
        and not job.is_stalled
        and request.GET.get("status") == job.status
    ):
        # Nothing new: htmx keeps the page as it is, and the live region
        # does not read the same status out again every poll.
        return HttpResponse(status=204)
    template = (
        "directory/_import_job.html"
        if _is_htmx_fragment_request(request)
        else "directory/import_job.html"
    )
    return render(request, template, {"job": job, "report": import_jobs.job_report(job)})


def export_organisations(request, fmt: str):
    """The current search (same query string as the page) as CSV or XLSX."""
    _form, organisations = _filtered_organisations(request)
    return exports.organisations_response(organisations, fmt=fmt)


@login_required
def export_people(request, fmt: str):
    """People of the organisations of the current search who consented to be
    listed, as CSV or XLSX. Without consent a person is never exported."""
    _form, organisations = _filtered_organisations(request)
    return exports.people_response(organisations, fmt=fmt)
