"""Checks of what people type that several apps make."""

from django.utils.translation import gettext as _

# Years a date the network plans with may fall in (an event's days, a call's
# deadline): the calendar's ends cannot be moved to another time zone or be given
# a following day, which turned such dates into server errors.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def dates_off_the_calendar(instance, *fields: str) -> dict[str, str]:
    """{field: message} for each of `fields` of `instance` whose date or time
    falls outside FIRST_YEAR to LAST_YEAR."""
    return {
        field: _("Give a date between %(first)s and %(last)s.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR}
        for field in fields
        if (value := getattr(instance, field)) is not None
        and not FIRST_YEAR <= value.year <= LAST_YEAR
    }
