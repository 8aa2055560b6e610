"""Demo accounts for `make demo`: one per role the README lists.

The password is public on purpose: these accounts exist only in demo databases.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from . import services
from .enums import Role
from .models import User

DEMO_PASSWORD = "municipia-demo"  # noqa: S105  (printed by `make demo`; demo databases only)

# (e-mail, what the account is for, role, organisation slug or None)
DEMO_USERS = [
    ("staff@demo.municipia.eu", "platform staff", None, None),
    ("manager@demo.municipia.eu", "association manager", Role.ASSOCIATION_MANAGER, "rgre"),
    ("editor@demo.municipia.eu", "organisation editor", Role.ORGANISATION_EDITOR, "koln"),
    ("organiser@demo.municipia.eu", "event organiser", Role.EVENT_ORGANISER, None),
]


@transaction.atomic
def load_demo_users() -> list[User]:
    """Create (or refresh) the demo accounts with verified e-mail addresses."""
    from municipia.directory.models import Organisation

    users = []
    for email, purpose, role, organisation_slug in DEMO_USERS:
        user, _created = User.objects.get_or_create(
            email=email, defaults={"display_name": f"Demo {purpose}"}
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role is None
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role is not None:
            organisation = (
                Organisation.objects.get(slug=organisation_slug) if organisation_slug else None
            )
            services.grant_role(actor=None, user=user, role=role, organisation=organisation)
        users.append(user)
    return users
