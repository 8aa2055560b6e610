"""The participant's networking meetings inside events' agenda page."""

from django import template

from municipia.networking import selectors

register = template.Library()


@register.inclusion_tag("networking/_agenda_meetings.html")
def agenda_meetings(registration):
    """Meetings of ``registration`` (and of its delegation), in time order,
    with whom and where; renders nothing when there are none."""
    meetings = selectors.meetings_of(registration) if registration is not None else []
    return {
        "event": registration.event if registration is not None else None,
        "rows": [
            {"meeting": meeting, "other": selectors.other_side_label(meeting.request, registration)}
            for meeting in meetings
        ],
    }
