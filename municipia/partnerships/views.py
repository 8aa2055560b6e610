"""Pages of partnerships and conversations. Views read through `selectors`,
write through `services` and ask `accounts.rules` who may do what."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts import rules
from municipia.directory import selectors as directory_selectors
from municipia.directory.enums import ImportKind
from municipia.directory.imports import jobs as import_jobs
from municipia.directory.models import Organisation
from municipia.parsing import parse_id

from . import selectors, services
from .forms import MessageForm, PartnershipEditForm, PartnershipForm, PartnershipImportForm


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


# -- conversations -------------------------------------------------------------------


@login_required
def conversation_list(request):
    """The conversations of the organisations the user writes for. One opened
    from a profile ("Write to …") and left without a message is not listed: it
    is not a conversation yet, for either side."""
    conversations = list(
        selectors.conversations_for(user=request.user).filter(last_message_at__isnull=False)
    )
    own = rules.editable_organisation_ids(request.user)
    rows = [
        {
            "conversation": conversation,
            "own": conversation.organisation_a
            if conversation.organisation_a_id in own
            else conversation.organisation_b,
            "partner": conversation.organisation_b
            if conversation.organisation_a_id in own
            else conversation.organisation_a,
        }
        for conversation in conversations
    ]
    return render(request, "partnerships/conversations.html", {"rows": rows})


@login_required
def conversation_detail(request, pk: int):
    """One conversation: its messages, oldest first, and the form to write."""
    conversation = selectors.conversation_for_viewer(conversation_id=pk, viewer=request.user)
    sides = [
        side
        for side in (conversation.organisation_a, conversation.organisation_b)
        if rules.can_message_for(request.user, side)
    ]
    form = None
    if sides:
        form = MessageForm(request.POST or None, sides=sides)
    if request.method == "POST":
        if form is None:
            raise Http404("No such conversation.")
        if form.is_valid():
            chosen = form.cleaned_data.get("organisation") or sides[0].pk
            organisation = next((side for side in sides if side.pk == chosen), sides[0])
            try:
                services.send_message(
                    actor=request.user,
                    conversation=conversation,
                    text=form.cleaned_data["text"],
                    organisation=organisation,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                return redirect(conversation.get_absolute_url() + "#latest")
    message_list = list(selectors.messages_of(conversation=conversation, viewer=request.user))
    if sides:
        services.mark_conversation_read(user=request.user, conversation=conversation)
    return render(
        request,
        "partnerships/conversation.html",
        {
            "conversation": conversation,
            "message_list": message_list,
            "form": form,
            "sides": sides,
        },
    )


@login_required
@require_POST
def conversation_start(request):
    """Open (or find) the conversation between one of the user's organisations
    and another one, from the other's profile."""
    partner = directory_selectors.organisation_for_viewer(
        slug=request.POST.get("partner", ""), viewer=request.user
    )
    organisation_id = parse_id(request.POST.get("organisation", ""))
    organisation = None
    if organisation_id is not None:
        organisation = (
            selectors.messaging_organisations(user=request.user).filter(pk=organisation_id).first()
        )
    if organisation is None or organisation.pk == partner.pk:
        messages.error(request, _("Choose one of your organisations to write for."))
        return redirect(partner)
    conversation = services.start_conversation(
        actor=request.user, organisation=organisation, partner=partner
    )
    return redirect(conversation)


# -- partnerships --------------------------------------------------------------------


def _recording_organisations(user, named: Organisation | None) -> list[Organisation]:
    organisations = list(selectors.messaging_organisations(user=user))
    if named is not None and rules.is_platform_staff(user) and named not in organisations:
        organisations.insert(0, named)
    return organisations


@login_required
def partnership_new(request):
    """Record a partnership, from an organisation's profile
    (`?organisation=<slug>`) or a conversation (`?partner=<slug>` too)."""
    named = None
    if slug := request.GET.get("organisation"):
        named = directory_selectors.organisation_for_viewer(slug=slug, viewer=request.user)
    organisations = _recording_organisations(request.user, named)
    if not organisations:
        raise Http404("No organisation to record partnerships for.")
    initial = {}
    if named is not None and named in organisations:
        initial["organisation"] = named.pk
    elif named is not None:
        initial["partner"] = named.slug
    if partner_slug := request.GET.get("partner"):
        initial["partner"] = partner_slug
    form = PartnershipForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        partner = (
            directory_selectors.visible_organisations(viewer=request.user)
            .filter(slug=data["partner"])
            .first()
        )
        if partner is None:
            form.add_error("partner", _("No organisation has this address."))
        else:
            try:
                services.record_partnership(
                    actor=request.user,
                    organisation=organisation,
                    partner=partner,
                    kind=data["kind"],
                    status=data["status"],
                    started_on=data["started_on"],
                    themes=data["themes"],
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The partnership was recorded."))
                return redirect(organisation)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "title": _("Record a partnership"), "partnership": None},
    )


@login_required
def partnership_edit(request, pk: int):
    """Change the status, start date or themes of a partnership."""
    partnership = selectors.partnership_for_viewer(partnership_id=pk, viewer=request.user)
    initial = {
        "status": partnership.status,
        "started_on": partnership.started_on,
        "themes": [theme.code for theme in partnership.themes.all()],
    }
    form = PartnershipEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_partnership(
                actor=request.user,
                partnership=partnership,
                status=data["status"],
                started_on=data["started_on"],
                themes=data["themes"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect(partnership.organisation_a)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "title": _("Edit the partnership"), "partnership": partnership},
    )


@login_required
def partnership_import(request):
    """Upload a CSV or XLSX file of existing partnerships (twinnings above
    all); a background job checks every row, then writes all or nothing, and
    its page shows the report."""
    if not rules.can_bulk_import(request.user):
        raise PermissionDenied(_("Only staff and association managers may import."))
    form = PartnershipImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.start_import_job(
            actor=request.user,
            file=form.cleaned_data["file"],
            kind=ImportKind.PARTNERSHIPS,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect(job)
    jobs = directory_selectors.recent_import_jobs(
        uploader=request.user, kinds=[ImportKind.PARTNERSHIPS]
    )
    return render(request, "partnerships/import.html", {"form": form, "jobs": jobs})
