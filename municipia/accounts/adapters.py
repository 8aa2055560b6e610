from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stores the language the person signed up in; account e-mails go out
    through the background-task queue instead of inside the request."""

    def save_user(self, request, user, form, commit=True):
        user.preferred_language = translation.get_language() or user.preferred_language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        from municipia.notifications.tasks import deliver_email

        # What allauth's own send_mail gives its templates ("Hello from
        # {{ current_site.name }}!"), which overriding it would otherwise lose.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        deliver_email.enqueue(
            subject=message.subject, body=message.body, html=html, to=list(message.to)
        )
