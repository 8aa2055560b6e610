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

    `title`, `body` and `url` are rendered here in the recipient's preferred
    language, not in the language of whoever triggered them: pass a lazy
    translation, or a callable (no arguments) that builds the text, e.g.
    ``lambda: _("New match: %(name)s") % {"name": name}`` — a lazy string
    formatted with ``%`` is translated at once, in the sender's language.
    A callable `url` is reversed with the recipient's language prefix.
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
            title=" ".join(_rendered(title).split())[:255],
            body=_rendered(body),
            url=_rendered(url),
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


def _rendered(text) -> str:
    return str(text() if callable(text) else text)


def translated(message, values: dict | None = None):
    """A notification text to be translated and filled in when `notify` renders it
    in the recipient's language: ``translated(gettext_lazy("New match: %(name)s"),
    {"name": name})``. (A lazy string formatted with ``%`` at once would be
    translated in the sender's language.)"""
    if values is None:
        return lambda: str(message)
    return lambda: str(message) % values
