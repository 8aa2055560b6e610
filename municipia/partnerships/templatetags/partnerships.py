"""`{% partnerships_on_profile organisation %}`: the partnerships section of an
organisation's profile, so that the directory's view needs no change."""

from django import template

from municipia.accounts import rules

from .. import selectors

register = template.Library()


@register.inclusion_tag("partnerships/_profile_partnerships.html", takes_context=True)
def partnerships_on_profile(context, organisation):
    viewer = context["request"].user
    items = [
        {
            "partnership": partnership,
            "partner": partnership.other(organisation.pk),
            "can_edit": rules.can_record_partnership(
                viewer, partnership.organisation_a, partnership.organisation_b
            ),
        }
        for partnership in selectors.partnerships_of(organisation=organisation, viewer=viewer)
    ]
    writers = []
    if getattr(viewer, "is_authenticated", False):
        writers = [
            own
            for own in selectors.messaging_organisations(user=viewer)
            if own.pk != organisation.pk
        ]
    return {
        "organisation": organisation,
        "partnerships": items,
        "can_record": rules.can_edit_organisation(viewer, organisation),
        "writers": writers,
        "csrf_token": context.get("csrf_token"),
    }
