"""Writes of funding: calls, following and deadline alerts, partner searches and
expressions of interest.

Every service takes the acting user as `actor` (None for the system: demo data,
tasks), asks `municipia.accounts.rules` whether the actor may act, and raises
PermissionDenied or ValidationError (with field names) otherwise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from municipia.accounts import rules
from municipia.accounts.enums import AuditAction
from municipia.accounts.services import record_audit
from municipia.directory.models import Organisation
from municipia.matching.selectors import editors_of
from municipia.notifications.services import notify
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme

from . import selectors
from .enums import (
    DEFAULT_ALERT_DAYS,
    INTEREST_TRANSITIONS,
    CallStatus,
    InterestStatus,
    SearchStatus,
)
from .models import (
    DeadlineAlertSent,
    DeadlineAlertSettings,
    ExpressionOfInterest,
    FundingCall,
    PartnerSearch,
)

MAX_ALERT_DAYS = 365
CALL_FIELDS = frozenset(
    f.name
    for f in FundingCall._meta.get_fields()
    if getattr(f, "concrete", False)
    and not f.many_to_many
    and f.name
    not in {"id", "created_at", "updated_at", "published_by", "published_by_organisation"}
)
SEARCH_FIELDS = frozenset(
    {
        "title",
        "purpose",
        "language",
        "call",
        "partners_sought",
        "countries",
        "country_groups",
        "kinds",
        "population_min",
        "population_max",
        "deadline",
    }
)


def _themes(codes: Iterable) -> list[Theme]:
    codes = [item.code if isinstance(item, Theme) else str(item) for item in codes]
    found = {t.code: t for t in Theme.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {"themes": _("Unknown themes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return [found[c] for c in codes]


def _sdgs(numbers: Iterable) -> list[SustainableDevelopmentGoal]:
    numbers = [g.number if isinstance(g, SustainableDevelopmentGoal) else int(g) for g in numbers]
    found = {g.number: g for g in SustainableDevelopmentGoal.objects.filter(number__in=numbers)}
    unknown = [str(n) for n in numbers if n not in found]
    if unknown:
        raise ValidationError(
            {"sdgs": _("Unknown goals: %(numbers)s.") % {"numbers": ", ".join(unknown)}}
        )
    return [found[n] for n in numbers]


def _unknown_fields(fields: dict, allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in unknown})


# -- calls ---------------------------------------------------------------------------------


@transaction.atomic
def publish_call(
    *,
    actor,
    organisation: Organisation | None = None,
    themes: Iterable = (),
    sdgs: Iterable = (),
    **fields,
) -> FundingCall:
    """Create a call (a draft unless `status` says otherwise) for `organisation`.

    Contradictory rules and a past deadline on an open call are refused with the
    field to correct (`validation.call_problems`)."""
    if actor is not None and not rules.can_publish_call(actor, organisation):
        raise PermissionDenied(_("You may not publish funding calls for this organisation."))
    _unknown_fields(fields, CALL_FIELDS)
    call = FundingCall(
        published_by_organisation=organisation,
        published_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    call.full_clean()
    call.save()
    call.themes.set(_themes(themes))
    call.sdgs.set(_sdgs(sdgs))
    return call


@transaction.atomic
def update_call(
    *, actor, call: FundingCall, themes: Iterable | None = None, sdgs=None, **fields
) -> FundingCall:
    if actor is not None and not rules.can_edit_call(actor, call):
        raise PermissionDenied(_("You may not edit this call."))
    _unknown_fields(fields, CALL_FIELDS)
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean()
    call.save()
    if themes is not None:
        call.themes.set(_themes(themes))
    if sdgs is not None:
        call.sdgs.set(_sdgs(sdgs))
    return call


@transaction.atomic
def delete_call(*, actor, call: FundingCall) -> None:
    if actor is not None and not rules.can_edit_call(actor, call):
        raise PermissionDenied(_("You may not delete this call."))
    record_audit(
        actor=actor, action=AuditAction.DELETED, target=call, details={"title": call.title}
    )
    call.delete()


# -- following, deadline alerts ---------------------------------------------------------------


def follow_call(*, user, call: FundingCall, follow: bool = True) -> None:
    """Follow a call (its deadline is then in the user's alerts and calendar feed)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow calls."))
    if not rules.can_view_call(user, call):
        raise PermissionDenied(_("You may not see this call."))
    if follow:
        call.followers.add(user)
    else:
        call.followers.remove(user)


def alert_settings_for(*, user) -> DeadlineAlertSettings:
    settings_, _created = DeadlineAlertSettings.objects.get_or_create(user=user)
    return settings_


def update_alert_settings(*, user, days_before: Iterable[int]) -> DeadlineAlertSettings:
    """Days before a deadline to be reminded on; each between 1 and 365, no repeats."""
    days = sorted({int(d) for d in days_before}, reverse=True)
    wrong = [d for d in days if not 1 <= d <= MAX_ALERT_DAYS]
    if wrong:
        raise ValidationError(
            {
                "days_before": _("Each reminder must be between 1 and %(max)s days before.")
                % {"max": MAX_ALERT_DAYS}
            }
        )
    settings_ = alert_settings_for(user=user)
    settings_.days_before = days
    settings_.save(update_fields=["days_before", "updated_at"])
    return settings_


def renew_feed_token(*, user) -> DeadlineAlertSettings:
    """A new private calendar address; the old one stops working at once."""
    from .models import _new_token

    settings_ = alert_settings_for(user=user)
    settings_.feed_token = _new_token()
    settings_.save(update_fields=["feed_token", "updated_at"])
    return settings_


def _due_interval(days: list[int], remaining: datetime.timedelta) -> tuple[int, list[int]] | None:
    """The reminder due now (the smallest interval already reached) and every
    interval reached: someone who follows a call 3 days before its deadline gets
    one reminder, not the 30-day and 7-day ones late."""
    reached = [d for d in days if remaining <= datetime.timedelta(days=d)]
    if not reached:
        return None
    return min(reached), reached


def send_deadline_alerts(*, now: datetime.datetime | None = None) -> int:
    """Remind followers of open calls at the intervals they chose; each interval
    once per user, call and deadline (safe to run as often as you like, and
    concurrently). Returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    calls = FundingCall.objects.filter(status=CallStatus.OPEN, deadline__gt=now).prefetch_related(
        "followers"
    )
    for call in calls:
        followers = [u for u in call.followers.all() if u.is_active]
        if not followers:
            continue
        chosen = dict(
            DeadlineAlertSettings.objects.filter(user__in=followers).values_list(
                "user_id", "days_before"
            )
        )
        for user in followers:
            days = chosen.get(user.pk, list(DEFAULT_ALERT_DAYS))
            due = _due_interval(list(days or ()), call.deadline - now)
            if due is None:
                continue
            current, reached = due
            if _send_alert(user=user, call=call, current=current, reached=reached, now=now):
                sent += 1
    return sent


@transaction.atomic
def _send_alert(*, user, call: FundingCall, current: int, reached: list[int], now) -> bool:
    try:
        with transaction.atomic():
            DeadlineAlertSent.objects.create(
                user=user, call=call, days_before=current, deadline=call.deadline
            )
    except IntegrityError:
        return False
    for days in reached:
        if days != current:
            DeadlineAlertSent.objects.get_or_create(
                user=user, call=call, days_before=days, deadline=call.deadline
            )
    remaining = max(1, (call.deadline - now).days)
    notify(
        recipient=user,
        kind="funding.deadline",
        title=lambda: (
            ngettext(
                "%(title)s: deadline in %(days)s day",
                "%(title)s: deadline in %(days)s days",
                remaining,
            )
            % {"title": call.title, "days": remaining}
        ),
        body=lambda: (
            _("Applications close on %(deadline)s (%(zone)s).")
            % {
                "deadline": date_format(call.local_deadline, "DATETIME_FORMAT"),
                "zone": call.time_zone,
            }
        ),
        url=call.get_absolute_url,
    )
    return True


# -- partner searches ---------------------------------------------------------------------------


def _check_search_fields(search: PartnerSearch) -> None:
    search.full_clean(exclude=["owner", "created_by"])
    if search.deadline and search.deadline < timezone.localdate() and search.pk is None:
        raise ValidationError({"deadline": _("This date has passed.")})


@transaction.atomic
def publish_partner_search(
    *,
    actor,
    owner: Organisation,
    themes: Iterable = (),
    invite: Iterable[Organisation] = (),
    **fields,
) -> PartnerSearch:
    """Publish a search for partners; the organisations it fits are told in the
    background. `invite`: organisations already chosen (from the consortium
    builder), invited at once."""
    if actor is not None and not rules.can_publish_partner_search(actor, owner):
        raise PermissionDenied(_("You may not publish partner searches for this organisation."))
    _unknown_fields(fields, SEARCH_FIELDS)
    search = PartnerSearch(
        owner=owner,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    _check_search_fields(search)
    search.save()
    search.themes.set(_themes(themes))
    for organisation in invite:
        if organisation.pk != owner.pk:
            _set_interest(
                actor=actor, search=search, organisation=organisation, status=InterestStatus.INVITED
            )
    from .tasks import announce_partner_search

    transaction.on_commit(lambda: announce_partner_search.enqueue(search_id=search.pk))
    return search


def announce_partner_search(*, search_id: int) -> int:
    """Tell the editors of organisations that fit a new search about it, once.
    Returns how many people were told."""
    with transaction.atomic():
        search = (
            PartnerSearch.objects.select_for_update()
            .filter(pk=search_id, announced_at__isnull=True, status=SearchStatus.OPEN)
            .select_related("owner")
            .first()
        )
        if search is None:
            return 0
        search.announced_at = timezone.now()
        search.save(update_fields=["announced_at"])
        told = 0
        already = set(search.interests.values_list("organisation_id", flat=True))
        for organisation in selectors.organisations_fitting(search):
            if organisation.pk in already:
                continue
            for user in editors_of(organisation=organisation):
                notify(
                    recipient=user,
                    kind="funding.partner_search",
                    title=lambda: (
                        _("%(owner)s is looking for partners: %(title)s")
                        % {"owner": search.owner.name, "title": search.title}
                    ),
                    body=lambda organisation=organisation: (
                        _("Your organisation %(name)s fits this partner search.")
                        % {"name": organisation.name}
                    ),
                    url=search.get_absolute_url,
                    email=False,
                )
                told += 1
    return told


@transaction.atomic
def update_partner_search(*, actor, search: PartnerSearch, themes=None, **fields) -> PartnerSearch:
    if actor is not None and not rules.can_manage_partner_search(actor, search):
        raise PermissionDenied(_("You may not edit this partner search."))
    _unknown_fields(fields, SEARCH_FIELDS)
    for name, value in fields.items():
        setattr(search, name, value)
    _check_search_fields(search)
    search.save()
    if themes is not None:
        search.themes.set(_themes(themes))
    return search


@transaction.atomic
def close_partner_search(*, actor, search: PartnerSearch, complete: bool = True) -> PartnerSearch:
    """Close a search, as complete (partners found) or not; those still waiting
    for an answer are told."""
    if actor is not None and not rules.can_manage_partner_search(actor, search):
        raise PermissionDenied(_("You may not close this partner search."))
    if search.status != SearchStatus.OPEN:
        raise ValidationError({"status": _("This partner search is already closed.")})
    search.status = SearchStatus.COMPLETE if complete else SearchStatus.CLOSED
    search.save(update_fields=["status", "updated_at"])
    waiting = search.interests.filter(
        status__in=[InterestStatus.INTERESTED, InterestStatus.SHORTLISTED]
    ).select_related("organisation")
    for interest in waiting:
        for user in editors_of(organisation=interest.organisation):
            notify(
                recipient=user,
                kind="funding.search_closed",
                title=lambda: (
                    _("%(owner)s closed the partner search %(title)s")
                    % {"owner": search.owner.name, "title": search.title}
                ),
                url=search.get_absolute_url,
                email=False,
            )
    return search


@transaction.atomic
def express_interest(
    *, actor, search: PartnerSearch, organisation: Organisation, message: str = ""
) -> ExpressionOfInterest:
    """An organisation answers a search; the owner's editors are told. Answering
    twice updates the message."""
    if actor is not None and not rules.can_express_interest_for(actor, organisation):
        raise PermissionDenied(_("You may not answer on behalf of this organisation."))
    if search.status != SearchStatus.OPEN:
        raise ValidationError({"search": _("This partner search is closed.")})
    if organisation.pk == search.owner_id:
        raise ValidationError(
            {"organisation": _("An organisation cannot answer its own partner search.")}
        )
    message = (message or "").strip()
    if len(message) > 5000:
        raise ValidationError({"message": _("Keep the message under 5,000 characters.")})
    try:
        with transaction.atomic():
            interest, created = ExpressionOfInterest.objects.get_or_create(
                search=search,
                organisation=organisation,
                defaults={"message": message, "created_by": actor},
            )
    except IntegrityError:  # the same organisation answered at the same moment
        interest, created = (
            ExpressionOfInterest.objects.get(search=search, organisation=organisation),
            False,
        )
    if not created:
        interest.message = message or interest.message
        if interest.status == InterestStatus.DECLINED:
            raise ValidationError({"organisation": _("The owner has declined this answer.")})
        interest.save(update_fields=["message", "updated_at"])
        return interest
    for user in editors_of(organisation=search.owner):
        notify(
            recipient=user,
            kind="funding.interest",
            title=lambda: (
                _("%(name)s is interested in %(title)s")
                % {"name": organisation.name, "title": search.title}
            ),
            body=lambda: message[:500],
            url=search.get_absolute_url,
        )
    return interest


def _set_interest(
    *, actor, search: PartnerSearch, organisation: Organisation, status: str
) -> ExpressionOfInterest:
    interest, created = ExpressionOfInterest.objects.get_or_create(
        search=search,
        organisation=organisation,
        defaults={
            "status": status,
            "created_by": actor if actor and actor.is_authenticated else None,
        },
    )
    if not created:
        if status not in INTEREST_TRANSITIONS[interest.status] and status != interest.status:
            raise ValidationError(
                {
                    "status": _("An answer that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": InterestStatus(interest.status).label,
                        "to": InterestStatus(status).label,
                    }
                }
            )
        interest.status = status
        interest.save(update_fields=["status", "updated_at"])
    if status == InterestStatus.INVITED:
        for user in editors_of(organisation=organisation):
            notify(
                recipient=user,
                kind="funding.invited",
                title=lambda: (
                    _("%(owner)s invites %(name)s to join %(title)s")
                    % {"owner": search.owner.name, "name": organisation.name, "title": search.title}
                ),
                url=search.get_absolute_url,
            )
    return interest


@transaction.atomic
def set_interest_status(
    *, actor, interest: ExpressionOfInterest, status: str
) -> ExpressionOfInterest:
    """Shortlist, invite or decline an answer (the owner of the search)."""
    search = interest.search
    if actor is not None and not rules.can_manage_partner_search(actor, search):
        raise PermissionDenied(_("You may not manage the answers to this partner search."))
    if status not in InterestStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if search.status != SearchStatus.OPEN:
        raise ValidationError({"status": _("This partner search is closed.")})
    return _set_interest(
        actor=actor, search=search, organisation=interest.organisation, status=status
    )


@transaction.atomic
def invite_to_search(
    *, actor, search: PartnerSearch, organisation: Organisation
) -> ExpressionOfInterest:
    if actor is not None and not rules.can_manage_partner_search(actor, search):
        raise PermissionDenied(_("You may not invite partners to this partner search."))
    if organisation.pk == search.owner_id:
        raise ValidationError({"organisation": _("An organisation cannot invite itself.")})
    return _set_interest(
        actor=actor, search=search, organisation=organisation, status=InterestStatus.INVITED
    )
