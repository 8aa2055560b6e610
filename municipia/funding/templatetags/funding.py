from django import template

from municipia.directory.choices import country_name, language_name
from municipia.directory.enums import OrganisationType

from ..enums import CountryGroup

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) or code


@register.filter
def countries(codes) -> str:
    return ", ".join(sorted(country_name(c) or c for c in codes or ()))


@register.filter
def kinds(codes) -> str:
    labels = dict(OrganisationType.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or ())


@register.filter
def groups(codes) -> str:
    labels = dict(CountryGroup.choices)
    return ", ".join(str(labels.get(c, c)) for c in codes or ())


@register.filter
def languages(codes) -> str:
    return ", ".join(language_name(c) for c in codes or ())
