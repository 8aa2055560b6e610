"""Forms of the directory pages: search filters, profile, challenges and
expertise, people, bulk import. They only validate input; the views hand the
cleaned data to `services`."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.taxonomy import selectors as taxonomy_selectors
from municipia.taxonomy.enums import ThemeKind

from . import selectors
from .choices import country_choices, language_choices
from .enums import OrganisationType, PartnershipInterest, Position, Visibility
from .models import MAX_POPULATION
from .text import decode_codes

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("name", _("Name (A to Z)")),
    ("-population", _("Population (largest first)")),
    ("population", _("Population (smallest first)")),
    ("country", _("Country")),
]
VERIFIED_CHOICES = [("", _("Any")), ("yes", _("Verified only")), ("no", _("Not verified"))]


def theme_choices() -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, tuple[str, ...]]]:
    """Themes grouped for a select or checkboxes: each impact community with its
    working groups, then the cross-cutting groups; and, per impact community,
    its own code with those of its working groups. One query."""
    themes = list(taxonomy_selectors.all_themes())
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    communities: dict[str, tuple[str, ...]] = {}
    for community in themes:
        if community.kind != ThemeKind.IMPACT_COMMUNITY:
            continue
        children = [t for t in themes if t.parent_id == community.pk]
        options = [(community.code, community.label)] + [(t.code, t.label) for t in children]
        groups.append((community.label, options))
        communities[community.code] = (community.code, *(t.code for t in children))
    cross_cutting = [t for t in themes if t.kind == ThemeKind.CROSS_CUTTING_GROUP]
    if cross_cutting:
        groups.append((str(_("Cross-cutting groups")), [(t.code, t.label) for t in cross_cutting]))
    return groups, communities


# Regions change only when places are imported; a few minutes of staleness
# saves a DISTINCT over a whole country's organisations on every search.
REGIONS_CACHE_SECONDS = 300


def regions_of_country(country: str) -> list[tuple[str, str]]:
    """`selectors.regions_of_country`, cached for a few minutes."""
    return cache.get_or_set(
        f"directory:regions:{country}",
        lambda: selectors.regions_of_country(country=country),
        REGIONS_CACHE_SECONDS,
    )


class DirectorySearchForm(forms.Form):
    """The filters of the directory page. Every field is optional; an invalid
    value shows an error and is left out of the search."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("In any language, with or without accents: “Koln” finds Köln."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.CharField(label=_("Region"), required=False, widget=forms.Select)
    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    population_min = forms.IntegerField(label=_("Population from"), required=False, min_value=0)
    population_max = forms.IntegerField(label=_("Population up to"), required=False, min_value=0)
    language = forms.ChoiceField(label=_("Working language"), required=False)
    interest = forms.ChoiceField(
        label=_("Partnership interest"),
        required=False,
        choices=[("", _("Any")), *PartnershipInterest.choices],
    )
    verified = forms.ChoiceField(label=_("Verification"), required=False, choices=VERIFIED_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    FILTERS = (
        "country",
        "region",
        "type",
        "theme",
        "population_min",
        "population_max",
        "language",
        "interest",
        "verified",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["language"].choices = [("", _("Any")), *language_choices()]
        self.theme_groups, self.community_themes = theme_choices()
        self.fields["theme"].choices = [("", _("Any theme")), *self.theme_groups]
        # With htmx the region list follows the country at once; without it,
        # after the next search.
        self.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse("directory:regions"),
                "hx-trigger": "change",
                "hx-target": "#region-field",
                "hx-swap": "outerHTML",
            }
        )
        country = (self.data.get("country") or "").upper()
        regions = regions_of_country(country) if len(country) == 2 else []
        self.fields["region"].widget.choices = [("", _("All regions")), *regions]
        if not regions:
            self.fields["region"].help_text = _("Choose a country first.")
        self.region_codes = {code for code, _name in regions}

    @property
    def has_filters(self) -> bool:
        """Whether any filter beyond the name is set (the filters then start open)."""
        return any(self.data.get(name) for name in self.FILTERS)

    def clean_region(self):
        # A region left over from another country (the country was changed
        # after the region was chosen) is dropped rather than reported.
        region = self.cleaned_data.get("region") or ""
        return region if region in self.region_codes else ""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("population_min"), cleaned.get("population_max")
        if low is not None and high is not None and low > high:
            self.add_error("population_max", _("Must not be smaller than “Population from”."))
        return cleaned

    def search_arguments(self) -> dict:
        """Keyword arguments for `selectors.search_organisations` from the valid
        fields (an invalid field is left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        theme = data.get("theme") or ""
        # Choosing an impact community finds its working groups as well.
        theme_codes = self.community_themes.get(theme, (theme,)) if theme else ()
        verified = {"yes": True, "no": False}.get(data.get("verified") or "")
        return {
            "query": data.get("q") or "",
            "country": data.get("country") or None,
            "region_code": data.get("region") or None,
            "kinds": tuple(data.get("type") or ()),
            "theme_codes": theme_codes,
            "population_min": data.get("population_min"),
            "population_max": data.get("population_max"),
            "working_language": data.get("language") or None,
            "partnership_interest": data.get("interest") or None,
            "verified": verified,
            "sort": data.get("sort") or "relevance",
        }


class OrganisationProfileForm(forms.Form):
    """What the organisation's admins and editors change on its profile."""

    name = forms.CharField(label=_("Official name"), max_length=200)
    other_names = forms.CharField(
        label=_("Names in other languages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, with the language code first: “en: Cologne”."),
    )
    region_code = forms.ChoiceField(label=_("Region"), required=False)
    population = forms.IntegerField(
        label=_("Population"), required=False, min_value=0, max_value=MAX_POPULATION
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    partnership_interests = forms.MultipleChoiceField(
        label=_("Partnership interests"),
        required=False,
        choices=PartnershipInterest.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_looking_for_partners = forms.BooleanField(label=_("Looking for partners"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    description_language = forms.ChoiceField(label=_("Language of the description"), required=False)
    visibility = forms.ChoiceField(label=_("Profile visible to"), choices=Visibility.choices)
    logo = forms.ImageField(label=_("Logo"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        languages = language_choices()
        self.fields["working_languages"].choices = languages
        self.fields["description_language"].choices = [("", "—"), *languages]
        self.regions = selectors.regions_of_country(country=organisation.country or "")
        region_choices = list(self.regions)
        if organisation.region_code and organisation.region_code not in dict(region_choices):
            region_choices.append(
                (organisation.region_code, organisation.region_name or organisation.region_code)
            )
        self.fields["region_code"].choices = [("", "—"), *region_choices]

    @classmethod
    def initial_for(cls, organisation) -> dict:
        other = "\n".join(
            f"{n.language}: {n.name}" if n.language else n.name
            for n in organisation.other_names.all()
        )
        return {
            "name": organisation.name,
            "other_names": other,
            "region_code": organisation.region_code,
            "population": organisation.population,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "website": organisation.website,
            "working_languages": decode_codes(organisation.working_languages),
            "partnership_interests": decode_codes(organisation.partnership_interests),
            "is_looking_for_partners": organisation.is_looking_for_partners,
            "description": organisation.description,
            "description_language": organisation.description_language,
            "visibility": organisation.visibility,
        }

    def clean_other_names(self) -> list[tuple[str, str]]:
        names = []
        for line in (self.cleaned_data.get("other_names") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            language, separator, name = line.partition(":")
            if separator and len(language.strip()) <= 3:
                names.append((language.strip().lower(), name.strip()))
            else:
                names.append(("", line))
        return names

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def profile_fields(self) -> dict:
        """Fields for `services.update_organisation_profile`."""
        data = dict(self.cleaned_data)
        data.pop("other_names", None)
        logo = data.pop("logo", None)
        region_code = data.pop("region_code") or ""
        data["region_code"] = region_code
        data["region_name"] = (
            dict(self.fields["region_code"].choices).get(region_code, "") if region_code else ""
        )
        if logo:
            data["logo"] = logo
        return data


class StatementForm(forms.Form):
    """A challenge or an offer of expertise."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    language = forms.ChoiceField(
        label=_("Language"), help_text=_("The language the title and description are written in.")
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdgs = forms.MultipleChoiceField(
        label=_("Sustainable Development Goals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.theme_group_choices, _communities = theme_choices()
        self.fields["themes"].choices = self.theme_group_choices
        self.fields["sdgs"].choices = [
            (str(goal.number), f"{goal.number}. {goal.label}") for goal in taxonomy_selectors.sdgs()
        ]

    def theme_groups(self) -> list[tuple[str, list]]:
        """The theme checkboxes grouped by impact community, for fieldsets."""
        widgets = {str(w.data["value"]): w for w in self["themes"]}
        return [
            (label, [widgets[code] for code, _name in options if code in widgets])
            for label, options in self.theme_group_choices
        ]

    @staticmethod
    def initial_for(statement) -> dict:
        return {
            "title": statement.title,
            "text": statement.text,
            "language": statement.language,
            "themes": [theme.code for theme in statement.themes.all()],
            "sdgs": [str(goal.number) for goal in statement.sdgs.all()],
        }

    def statement_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["sdgs"] = [int(number) for number in data.get("sdgs") or ()]
        return data


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    consent = forms.BooleanField(
        label=_("This person agreed to be listed in the directory with these details"),
        required=False,
        help_text=_(
            "Without consent the person is shown only to your organisation's editors "
            "and to the network's staff, and never exported."
        ),
    )

    @staticmethod
    def initial_for(person) -> dict:
        return {
            "name": person.name,
            "position": person.position,
            "title": person.title,
            "email": person.email,
            "phone": person.phone,
            "consent": person.has_consented,
        }


IMPORT_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=[("organisations", _("Organisations")), ("people", _("People"))],
        widget=forms.RadioSelect,
        initial="organisations",
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, comma or semicolon separated) or Excel XLSX, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, write nothing"), required=False, initial=False
    )

    def clean_file(self):
        from .imports import MAX_UPLOAD_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most %(limit)s MB can be imported at once."),
                params={
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
                },
            )
        extension = Path(upload.name).suffix.lower()
        if extension == ".xls":
            raise forms.ValidationError(
                _("Old Excel files (.xls) cannot be read: save the file as .xlsx or as CSV UTF-8.")
            )
        if extension not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a CSV file (.csv or .txt) or an Excel file (.xlsx).")
            )
        return upload
