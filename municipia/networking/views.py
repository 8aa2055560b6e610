"""Pages of the networking centre. Views read through ``selectors``, write
through ``services`` and ask ``accounts.rules`` who may do what. Every page
shows and reads times in the event's time zone."""

from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts import rules
from municipia.events.models import Event
from municipia.parsing import parse_id

from . import exchange, selectors, services
from .enums import RequestStatus
from .forms import (
    AnswerForm,
    BlockForm,
    GridForm,
    ImportForm,
    MeetingPointForm,
    PeriodForm,
    ProfileForm,
    RequestForm,
    RunForm,
)
from .models import (
    AvailabilityBlock,
    Meeting,
    MeetingGrid,
    MeetingPoint,
    MeetingRequest,
    SchedulerRun,
)


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def event_page(view):
    """Load the event (404 when the user may not see it) and show every time
    in its time zone."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        event = get_object_or_404(Event, slug=slug)
        if not rules.can_view_event(request.user, event):
            raise Http404
        with timezone.override(event.tz):
            return view(request, event, *args, **kwargs)

    return login_required(wrapper)


def manager_page(view):
    @functools.wraps(view)
    def wrapper(request, event, *args, **kwargs):
        if not rules.can_manage_networking(request.user, event):
            raise PermissionDenied
        return view(request, event, *args, **kwargs)

    return event_page(wrapper)


def participant_page(view):
    """Pages of one's own networking: need a confirmed registration; others
    see how to register."""

    @functools.wraps(view)
    def wrapper(request, event, *args, **kwargs):
        registration = selectors.registration_for(request.user, event)
        if registration is None:
            return render(
                request,
                "networking/not_registered.html",
                _context(request, event, None),
                status=403,
            )
        return view(request, event, registration, *args, **kwargs)

    return event_page(wrapper)


def _context(request, event, registration, **extra):
    return {
        "event": event,
        "registration": registration,
        "profile": selectors.profile_of(registration) if registration else None,
        "can_manage": rules.can_manage_networking(request.user, event),
        "grid": selectors.grid_of(event),
        **extra,
    }


# -- participants ----------------------------------------------------------------------


@event_page
def home(request, event):
    registration = selectors.registration_for(request.user, event)
    if registration is None and rules.can_manage_networking(request.user, event):
        return redirect("networking:dashboard", slug=event.slug)
    if registration is None:
        return render(
            request, "networking/not_registered.html", _context(request, event, None), status=403
        )
    profile = selectors.profile_of(registration)
    if profile is None or not profile.is_active:
        return redirect("networking:profile", slug=event.slug)
    return redirect("networking:meetings", slug=event.slug)


@participant_page
def profile(request, event, registration):
    current = selectors.profile_of(registration)
    if request.method == "POST":
        if request.POST.get("action") == "opt_out":
            services.opt_out(actor=request.user, registration=registration)
            messages.success(request, _("You no longer receive meeting requests."))
            return redirect("networking:profile", slug=event.slug)
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.opt_in(actor=request.user, registration=registration, **form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Your networking profile is saved."))
                return redirect("networking:recommendations", slug=event.slug)
    else:
        initial = {"languages": [registration.language] if registration.language else []}
        if current is not None:
            initial = {
                "topics": current.topics,
                "languages": current.languages,
                "mode": current.mode,
            }
        form = ProfileForm(initial=initial)
    return render(
        request, "networking/profile.html", _context(request, event, registration, form=form)
    )


def _require_profile(request, event, registration):
    current = selectors.profile_of(registration)
    if current is None or not current.is_active:
        messages.info(request, _("First tell the others what you would like to discuss."))
        return redirect("networking:profile", slug=event.slug)
    return None


@participant_page
def recommendations(request, event, registration):
    if (response := _require_profile(request, event, registration)) is not None:
        return response
    found = selectors.recommendations_for(registration, limit=12)
    return render(
        request,
        "networking/recommendations.html",
        _context(request, event, registration, recommendations=found),
    )


@participant_page
def participants(request, event, registration):
    if (response := _require_profile(request, event, registration)) is not None:
        return response
    # PostgreSQL refuses NUL characters in a query
    query = request.GET.get("q", "").replace("\x00", "").strip()
    people = selectors.networking_participants(event).exclude(pk=registration.pk)
    if query:
        from django.db.models import Q

        people = people.filter(
            Q(participant_name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(networking_profile__topics__icontains=query)
        )
    return render(
        request,
        "networking/participants.html",
        _context(request, event, registration, people=people[:200], query=query),
    )


@participant_page
def request_new(request, event, registration, registration_id: int):
    if (response := _require_profile(request, event, registration)) is not None:
        return response
    recipient = get_object_or_404(selectors.networking_participants(event), pk=registration_id)
    slots = selectors.free_slots_for(registration)
    if request.method == "POST":
        form = RequestForm(request.POST, slots=slots)
        if form.is_valid():
            try:
                services.send_request(
                    actor=request.user,
                    requester=registration,
                    recipient=recipient,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your request was sent to %(name)s.") % {"name": recipient.participant_name},
                )
                return redirect("networking:outbox", slug=event.slug)
    else:
        form = RequestForm(slots=slots)
    if registration.organisation_id is None:
        del form.fields["as_delegation"]
    if recipient.organisation_id is None:
        del form.fields["to_delegation"]
    return render(
        request,
        "networking/request_form.html",
        _context(request, event, registration, form=form, recipient=recipient),
    )


def _rows(requests, registration):
    return [
        {
            "request": r,
            "other": selectors.other_side_label(r, registration),
            "answers": selectors.is_answering(r, registration),
            "meeting": getattr(r, "meeting", None) if r.status == RequestStatus.ACCEPTED else None,
        }
        for r in requests
    ]


@participant_page
def inbox(request, event, registration):
    rows = _rows(selectors.inbox(registration), registration)
    slots = selectors.free_slots_for(registration)
    for row in rows:
        if row["answers"]:
            row["form"] = AnswerForm(slots=slots, prefix=f"r{row['request'].pk}")
    return render(
        request,
        "networking/inbox.html",
        _context(request, event, registration, rows=rows, box="in", view="inbox"),
    )


@participant_page
def outbox(request, event, registration):
    rows = _rows(selectors.outbox(registration), registration)
    slots = selectors.free_slots_for(registration)
    for row in rows:
        if row["answers"]:  # the recipient proposed another time
            row["form"] = AnswerForm(slots=slots, prefix=f"r{row['request'].pk}")
    return render(
        request,
        "networking/inbox.html",
        _context(request, event, registration, rows=rows, box="out", view="outbox"),
    )


@require_POST
@participant_page
def request_answer(request, event, registration, pk: int):
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, event=event)
    if not rules.can_view_meeting_request(request.user, meeting_request):
        raise Http404
    form = AnswerForm(request.POST, slots=selectors.free_slots_for(registration), prefix=f"r{pk}")
    back = request.POST.get("next") or "inbox"
    back = back if back in ("inbox", "outbox") else "inbox"
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect(f"networking:{back}", slug=event.slug)
    action = form.cleaned_data["action"]
    response = form.cleaned_data["response"]
    try:
        if action == "accept":
            services.accept_request(
                actor=request.user, meeting_request=meeting_request, response=response
            )
            messages.success(request, _("Meeting accepted."))
        elif action == "decline":
            services.decline_request(
                actor=request.user, meeting_request=meeting_request, response=response
            )
            messages.success(request, _("Request declined."))
        else:
            services.propose_time(
                actor=request.user,
                meeting_request=meeting_request,
                slot=form.cleaned_data["slot"],
                response=response,
            )
            messages.success(request, _("Your proposal was sent."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"networking:{back}", slug=event.slug)


@require_POST
@event_page
def request_cancel(request, event, pk: int):
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, event=event)
    if not (
        rules.can_view_meeting_request(request.user, meeting_request)
        or rules.can_manage_networking(request.user, event)
    ):
        raise Http404
    try:
        services.cancel_request(actor=request.user, meeting_request=meeting_request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Cancelled. The time is free again."))
    back = request.POST.get("next", "")
    if back in ("inbox", "outbox", "meetings", "all_requests"):
        return redirect(f"networking:{back}", slug=event.slug)
    return redirect("networking:meetings", slug=event.slug)


@participant_page
def meetings(request, event, registration):
    found = selectors.meetings_of(registration)
    rows = [
        {
            "meeting": meeting,
            "other": selectors.other_side_label(meeting.request, registration),
            "absent_side": "recipient"
            if selectors.is_requester_side(meeting.request, registration)
            else "requester",
            "begun": meeting.slot.starts_at <= timezone.now(),
        }
        for meeting in found
    ]
    waiting = MeetingRequest.objects.filter(
        pk__in=[r.pk for r in selectors.outbox(registration)]
        + [r.pk for r in selectors.inbox(registration)],
        status=RequestStatus.ACCEPTED,
        meeting__isnull=True,
    ).count()
    return render(
        request,
        "networking/meetings.html",
        _context(request, event, registration, rows=rows, waiting=waiting),
    )


@participant_page
def meetings_ics(request, event, registration):
    """The participant's meetings as an iCalendar file (the agenda's private
    feed carries them too)."""
    from municipia.events.formats.ical import render_calendar

    entries = selectors.calendar_entries(
        registration,
        base_url=request.build_absolute_uri(reverse("networking:meetings", args=[event.slug])),
    )
    text = render_calendar(
        entries,
        name=_("Meetings at %(event)s") % {"event": event.title},
        method="PUBLISH",
        tz_name=event.time_zone,
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{event.slug}.ics"'
    return response


@require_POST
@participant_page
def meeting_no_show(request, event, registration, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk, request__event=event)
    try:
        services.mark_no_show(
            actor=request.user, meeting=meeting, absent=request.POST.get("absent", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: the organisers will see it."))
    return redirect("networking:meetings", slug=event.slug)


@participant_page
def availability(request, event, registration):
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            try:
                services.block_time(
                    actor=request.user, registration=registration, **form.cleaned_data
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("This time is kept free of meetings."))
                return redirect("networking:availability", slug=event.slug)
    else:
        form = BlockForm()
    blocks = AvailabilityBlock.objects.filter(registration=registration)
    return render(
        request,
        "networking/availability.html",
        _context(request, event, registration, form=form, blocks=blocks),
    )


@require_POST
@participant_page
def availability_delete(request, event, registration, pk: int):
    block = get_object_or_404(AvailabilityBlock, pk=pk, registration=registration)
    services.unblock_time(actor=request.user, block=block)
    messages.success(request, _("The time is open for meetings again."))
    return redirect("networking:availability", slug=event.slug)


# -- organisers ------------------------------------------------------------------------


@manager_page
def dashboard(request, event):
    runs = SchedulerRun.objects.filter(event=event)[:10]
    return render(
        request,
        "networking/dashboard.html",
        _context(
            request,
            event,
            None,
            figures=selectors.dashboard(event),
            runs=runs,
            run_form=RunForm(),
        ),
    )


@manager_page
def all_requests(request, event):
    """Every request of the event, for the organisers, by status."""
    status = request.GET.get("status", "")
    requests = selectors.requests_with_sides().filter(event=event).order_by("-created_at")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    else:
        status = ""
    page = Paginator(requests, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "networking/all_requests.html",
        _context(
            request,
            event,
            None,
            page=page,
            status=status,
            statuses=RequestStatus.choices,
            view="all_requests",
        ),
    )


@manager_page
def grid_settings(request, event):
    grid, _created = MeetingGrid.objects.get_or_create(event=event)
    form, period_form = GridForm(instance=grid), PeriodForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "period":
                period_form = PeriodForm(request.POST)
                if period_form.is_valid():
                    services.add_period(actor=request.user, event=event, **period_form.cleaned_data)
                    messages.success(request, _("Period added. Build the slots to use it."))
                    return redirect("networking:grid", slug=event.slug)
            elif action == "delete_period":
                period_id = parse_id(request.POST.get("period", ""))
                if period_id is not None:
                    grid.periods.filter(pk=period_id).delete()
                return redirect("networking:grid", slug=event.slug)
            elif action == "build":
                slots = services.build_slots(actor=request.user, event=event)
                messages.success(
                    request, _("%(count)d meeting slots are ready.") % {"count": len(slots)}
                )
                return redirect("networking:grid", slug=event.slug)
            else:
                form = GridForm(request.POST, instance=grid)
                if form.is_valid():
                    services.save_grid(actor=request.user, event=event, **form.cleaned_data)
                    messages.success(request, _("Settings saved."))
                    return redirect("networking:grid", slug=event.slug)
        except ValidationError as error:
            _add_service_errors(period_form if action == "period" else form, error)
    return render(
        request,
        "networking/grid.html",
        _context(
            request,
            event,
            None,
            form=form,
            period_form=period_form,
            periods=grid.periods.all(),
            slots=event.meeting_slots.all(),
        ),
    )


@manager_page
def meeting_points(request, event):
    if request.method == "POST":
        form = MeetingPointForm(request.POST)
        if form.is_valid():
            try:
                services.save_meeting_point(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Meeting point added."))
                return redirect("networking:points", slug=event.slug)
    else:
        form = MeetingPointForm(initial={"capacity": 2})
    return render(
        request,
        "networking/points.html",
        _context(request, event, None, form=form, points=event.meeting_points.all()),
    )


@manager_page
def meeting_point_edit(request, event, pk: int):
    point = get_object_or_404(MeetingPoint, pk=pk, event=event)
    if request.method == "POST":
        form = MeetingPointForm(request.POST, instance=MeetingPoint.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.save_meeting_point(
                    actor=request.user, event=event, meeting_point=point, **form.cleaned_data
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("Meeting point saved."))
                return redirect("networking:points", slug=event.slug)
    else:
        form = MeetingPointForm(instance=point)
    return render(
        request,
        "networking/point_form.html",
        _context(request, event, None, form=form, point=point),
    )


@require_POST
@manager_page
def run(request, event):
    form = RunForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect("networking:dashboard", slug=event.slug)
    result = services.start_scheduler_run(
        actor=request.user,
        event=event,
        replan=form.cleaned_data["replan"],
        time_limit=float(form.cleaned_data["time_limit"]),
    )
    return redirect("networking:run_report", slug=event.slug, pk=result.pk)


@manager_page
def run_report(request, event, pk: int):
    result = get_object_or_404(SchedulerRun, pk=pk, event=event)
    return render(
        request,
        "networking/run_report.html",
        _context(request, event, None, run=result, report=result.report),
    )


@manager_page
def table_plan(request, event):
    points, rows = selectors.table_plan(event)
    return render(
        request,
        "networking/table_plan.html",
        _context(request, event, None, points=points, rows=rows),
    )


@manager_page
def export_json(request, event):
    data = exchange.export_event(event)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="networking-{event.slug}.json"'
    return response


@manager_page
def import_json(request, event):
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = exchange.import_file(
                actor=request.user, event=event, file=form.cleaned_data["file"]
            )
            if report.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                return redirect("networking:dashboard", slug=event.slug)
    else:
        form = ImportForm()
    return render(
        request, "networking/import.html", _context(request, event, None, form=form, report=report)
    )
