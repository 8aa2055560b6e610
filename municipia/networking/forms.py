"""Forms of the networking pages. Times are entered in the event's time zone:
views activate it around the forms (``timezone.override``)."""

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from municipia.fields import number_limits_from_model

from .enums import AttendanceMode, MeetingPlace, Priority
from .models import MeetingGrid, MeetingPoint, NetworkingPeriod

# The official languages of the European Union, the languages meetings of the
# network are held in.
MEETING_LANGUAGES = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
]


def _language_choices():
    choices = []
    for code in MEETING_LANGUAGES:
        try:
            info = get_language_info(code)
        except KeyError:
            continue
        choices.append((code, f"{info['name_translated']} ({info['name_local']})"))
    return sorted(choices, key=lambda choice: choice[1])


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ProfileForm(forms.Form):
    topics = forms.CharField(
        label=_("What would you like to discuss?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Challenges of your city or region, projects, partners you are looking for."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can meet in"),
        choices=_language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("You can meet"),
        choices=AttendanceMode.choices,
        widget=forms.RadioSelect,
        initial=AttendanceMode.ON_SITE,
    )


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Say what you would like to talk about."),
    )
    mode = forms.ChoiceField(
        label=_("Meet"), choices=MeetingPlace.choices, initial=MeetingPlace.ANY
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    proposed_slot = forms.ChoiceField(
        label=_("Preferred time"),
        required=False,
        help_text=_("Leave empty to let the organisers' scheduler find a time."),
    )
    as_delegation = forms.BooleanField(label=_("Meet with my whole delegation"), required=False)
    to_delegation = forms.BooleanField(label=_("Invite their whole delegation"), required=False)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.pk): slot for slot in slots}
        self.fields["proposed_slot"].choices = [("", _("Any free time"))] + [
            (pk, slot.label) for pk, slot in self.slots.items()
        ]

    def clean_proposed_slot(self):
        value = self.cleaned_data.get("proposed_slot")
        return self.slots.get(value) if value else None


class AnswerForm(forms.Form):
    ACTIONS = [
        ("accept", _("Accept")),
        ("propose", _("Propose another time")),
        ("decline", _("Decline")),
    ]
    action = forms.ChoiceField(label=_("Answer"), choices=ACTIONS, widget=forms.RadioSelect)
    slot = forms.ChoiceField(label=_("Another time"), required=False)
    response = forms.CharField(
        label=_("Message (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {str(slot.pk): slot for slot in slots}
        self.fields["slot"].choices = [("", "—")] + [
            (pk, slot.label) for pk, slot in self.slots.items()
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "propose":
            slot = self.slots.get(cleaned.get("slot") or "")
            if slot is None:
                self.add_error("slot", _("Choose the time you propose."))
            cleaned["slot"] = slot
        return cleaned


class BlockForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("From"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=DateTimeInput())
    note = forms.CharField(label=_("Note (only you see it)"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class GridForm(forms.ModelForm):
    class Meta:
        model = MeetingGrid
        fields = [
            "is_open",
            "use_networking_sessions",
            "slot_minutes",
            "break_minutes",
            "answer_deadline",
            "max_requests",
        ]
        widgets = {"answer_deadline": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number_limits_from_model(self)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = NetworkingPeriod
        fields = ["name", "starts_at", "ends_at"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("A period must end after it starts."))
        return cleaned


class MeetingPointForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("link of the virtual room"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Each meeting gets its own link built on this one."),
    )

    class Meta:
        model = MeetingPoint
        fields = ["name", "kind", "capacity", "location", "online_url", "is_active", "order"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "virtual" and not cleaned.get("online_url"):
            self.add_error("online_url", _("A virtual room needs a link."))
        return cleaned


class RunForm(forms.Form):
    replan = forms.BooleanField(
        label=_("Full re-plan"),
        required=False,
        help_text=_(
            "Move any meeting not fixed by hand to fit more meetings. Participants are told "
            "of every change. Without it, meetings already set stay where they are."
        ),
    )
    time_limit = forms.IntegerField(
        label=_("Time for the scheduler (seconds)"), min_value=1, max_value=120, initial=10
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File in the networking exchange format (JSON)"),
        help_text=_("Everything is imported or nothing: errors are listed row by row."),
    )
