import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from municipia.notifications import selectors, services
from municipia.notifications.models import Notification


def test_notify_stores_and_emails_in_the_recipients_language(plain_user):
    plain_user.preferred_language = "de"
    plain_user.save()
    # A lazy string is rendered for the recipient, not for whoever triggers it.
    notification = services.notify(
        recipient=plain_user, kind="test", title=gettext_lazy("Notifications"), url="/de/"
    )
    assert notification.language == "de"
    assert notification.title == "Benachrichtigungen"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["someone@example.org"]
    assert "Benachrichtigungen" in mail.outbox[0].subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_title_quoting_user_text_with_line_breaks_is_stored_and_emailed_on_one_line(
    plain_user,
):
    # A meeting request's or a session's title typed with a line break must not make
    # the subject an (refused) header injection: the e-mail would never leave.
    notification = services.notify(
        recipient=plain_user, kind="test", title="New request from\r\nBcc: x@example.org  Riga"
    )
    assert notification.title == "New request from Bcc: x@example.org Riga"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[municipia] New request from Bcc: x@example.org Riga"
    assert mail.outbox[0].bcc == []
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_callables_are_rendered_in_the_recipients_language_even_with_placeholders(plain_user):
    from django.utils import translation
    from django.utils.translation import gettext as _

    plain_user.preferred_language = "de"
    plain_user.save()
    with translation.override("en"):  # the sender's language
        notification = services.notify(
            recipient=plain_user,
            kind="test",
            title=lambda: _("New match: %(name)s") % {"name": "Riga"},
            url=lambda: reverse("notifications:centre"),
        )
    assert notification.title == "Neues Match: Riga"
    assert notification.url.startswith("/de/")


def test_notify_without_email(plain_user):
    services.notify(recipient=plain_user, kind="test", title="Quiet", email=False)
    assert mail.outbox == []
    assert selectors.unread_count(user=plain_user) == 1


def test_email_task_sends_once(plain_user):
    from municipia.notifications.tasks import send_notification_email

    notification = services.notify(recipient=plain_user, kind="test", title="Once")
    send_notification_email.call(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_mark_read_only_own_notifications(plain_user, staff_user):
    notification = services.notify(recipient=plain_user, kind="test", title="Mine", email=False)
    assert services.mark_read(user=staff_user, notification_id=notification.pk) is False
    assert selectors.unread_count(user=plain_user) == 1
    assert services.mark_read(user=plain_user, notification_id=notification.pk) is True
    assert selectors.unread_count(user=plain_user) == 0


def test_notification_centre_escapes_text_and_counts_unread(client, plain_user):
    services.notify(
        recipient=plain_user, kind="test", title="<script>alert(1)</script>", email=False
    )
    client.force_login(plain_user)
    response = client.get(reverse("notifications:centre"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<span class="badge">' in content


def test_mark_read_view_with_htmx_returns_the_item(client, plain_user):
    notification = services.notify(recipient=plain_user, kind="test", title="Hello", email=False)
    services.notify(recipient=plain_user, kind="test", title="Still unread", email=False)
    client.force_login(plain_user)
    page = client.get(reverse("notifications:centre")).content.decode()
    assert "hx-swap-oob" not in page
    assert "unread: </span>2</span>" in page
    services.mark_read(
        user=plain_user,
        notification_id=Notification.objects.get(title="Still unread").pk,
    )
    client.force_login(plain_user)
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert Notification.objects.get(pk=notification.pk).is_read
    # The header's count goes with it: none left unread.
    assert '<span id="unread-badge" hx-swap-oob="true"></span>' in html


def test_cannot_mark_someone_elses_notification(client, plain_user, staff_user):
    notification = services.notify(recipient=plain_user, kind="test", title="Hello", email=False)
    client.force_login(staff_user)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["notifications:centre", "accounts:profile"])
def test_pages_need_login(client, db, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_notification_links_to_its_page_in_the_language_being_read(client, plain_user):
    services.notify(
        recipient=plain_user,
        kind="info",
        title="Your meeting",
        url="/en/networking/retreat/meetings/",
        email=False,
    )
    services.notify(
        recipient=plain_user, kind="info", title="Elsewhere", url="/api/events/", email=False
    )
    client.force_login(plain_user)
    page = client.get("/fr/notifications/").content.decode()
    assert 'href="/fr/networking/retreat/meetings/"' in page
    assert 'href="/api/events/"' in page
