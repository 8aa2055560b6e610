"""Background tasks: thin, taking primary keys or plain values only."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import Notification


@task()
def deliver_email(*, subject: str, body: str, html: str, to: list[str]) -> None:
    """Send an already rendered e-mail (account e-mails from django-allauth)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_notification_email(*, notification_id: int) -> None:
    """E-mail one notification in its recipient's language, once."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return
    context = {"notification": notification, "site_url": settings.SITE_URL}
    with translation.override(notification.language):
        body = render_to_string("notifications/email.txt", context)
    EmailMultiAlternatives(
        subject=f"[municipia] {notification.title}",
        body=body,
        to=[notification.recipient.email],
    ).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
