from django import template

from municipia.accounts import rules

register = template.Library()


@register.filter
def edits_an_organisation(user) -> bool:
    """Whether the header offers "Find partners" to this user."""
    return bool(rules.editable_organisation_ids(user))
