"""Writes of the notification centre."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .models import Notification


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> Notification:
    """Tell one user about something, in the app and (unless `email=False`) by e-mail.

    `title` and `body` may be lazy translations: they are rendered here in the
    recipient's preferred language, not in the language of whoever triggered them.
    The e-mail is sent by a background task after the notification is stored.
    """
    from .tasks import send_notification_email

    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            # One line: the title is an e-mail subject (where a line break is refused
            # as header injection) and a list entry; it may quote user text.
            title=" ".join(str(title).split())[:255],
            body=str(body),
            url=url,
            language=language,
        )
    if email and recipient.email:
        send_notification_email.enqueue(notification_id=notification.pk)
    return notification


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when it is not theirs."""
    updated = Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return bool(updated) or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
