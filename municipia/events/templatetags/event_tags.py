"""Small display helpers of the events pages."""

from django import template

from municipia.directory.choices import country_name, language_name

register = template.Library()


@register.filter
def language_names(codes) -> list[str]:
    """["fr", "en"] -> ["French", "English"] in the active language."""
    return [language_name(code) for code in codes or []]


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""
