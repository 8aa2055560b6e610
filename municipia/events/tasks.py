"""Background tasks of events: thin, taking primary keys or plain values only."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .enums import RegistrationStatus
from .models import Registration


@task()
def send_registration_email(*, registration_id: int, status: str, promoted: bool = False) -> None:
    """Tell a participant where their registration stands, in their language;
    a confirmation carries the event (and agenda) as an .ics attachment.

    Skipped when the status changed again before the task ran: the later
    change has its own e-mail."""
    from .feeds import personal_calendar

    registration = (
        Registration.objects.select_related("event", "user", "registered_by")
        .filter(pk=registration_id, status=status)
        .first()
    )
    if registration is None:
        return
    event = registration.event
    language = (
        registration.language
        or (registration.user.preferred_language if registration.user else "")
        or settings.LANGUAGE_CODE
    )
    context = {
        "registration": registration,
        "event": event,
        "promoted": promoted,
        "site_url": settings.SITE_URL,
        "delegated": registration.registered_by_id not in (None, registration.user_id),
    }
    with translation.override(language):
        subject = render_to_string("events/emails/registration_subject.txt", context)
        body = render_to_string("events/emails/registration.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[registration.participant_email],
        reply_to=[event.contact_email] if event.contact_email else None,
    )
    if (
        registration.registered_by
        and registration.registered_by.email != registration.participant_email
    ):
        message.cc = [registration.registered_by.email]
    if status == RegistrationStatus.CONFIRMED:
        message.attach(
            f"{event.slug}.ics",
            personal_calendar(registration),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    message.send()
