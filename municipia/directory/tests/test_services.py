import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import AuditAction, Role
from municipia.accounts.models import AuditEntry
from municipia.directory import services
from municipia.directory.enums import OrganisationType, Position, Visibility
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.directory.text import decode_codes, encode_codes, fold, search_text_for
from municipia.notifications.models import Notification
from municipia.taxonomy.models import SustainableDevelopmentGoal, Theme


# The taxonomy is loaded by a data migration.
@pytest.fixture
def theme(db):
    return Theme.objects.get(code="climate")


@pytest.fixture
def sdg(db):
    return SustainableDevelopmentGoal.objects.get(number=11)


# -- text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Köln ", "koln"),
        ("Łódź", "lodz"),
        ("Großenhain", "grossenhain"),
        ("Øresund", "oresund"),
        ("Æbeltoft", "aebeltoft"),
        ("Œuvre", "oeuvre"),
        ("Đakovo", "dakovo"),
        ("Diyarbakır", "diyarbakir"),
        ("Saint-Étienne  du\tRouvray", "saint-etienne du rouvray"),
        ("Αθήνα", "αθηνα"),
        ("Кёльн", "кельн"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_text_holds_each_folded_name_once_between_separators():
    assert search_text_for(["Köln", "Koeln", "KÖLN", "a|b", ""]) == "|koln|koeln|a b|"
    assert search_text_for([]) == ""


def test_codes_round_trip():
    assert encode_codes(["de", "en", "de", ""]) == ",de,en,"
    assert encode_codes([]) == ""
    assert decode_codes(",de,en,") == ["de", "en"]
    assert decode_codes("") == []


# -- organisations ---------------------------------------------------------------


def test_staff_create_organisation_with_unique_slug(staff_user, organisation):
    created = services.create_organisation(
        actor=staff_user, name="Köln", kind=OrganisationType.MUNICIPALITY, country="de"
    )
    assert created.slug == "koln-de"
    assert created.country == "DE"
    assert created.search_text == "|koln|"
    again = services.create_organisation(
        actor=staff_user, name="Köln", kind=OrganisationType.MUNICIPALITY, country="DE"
    )
    assert again.slug == "koln-de-2"


def test_association_manager_creates_in_own_country_and_it_joins_the_association(
    association_manager, association
):
    created = services.create_organisation(
        actor=association_manager, name="Bonn", kind=OrganisationType.MUNICIPALITY, country="DE"
    )
    assert list(created.member_of.all()) == [association]
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            actor=association_manager,
            name="Lyon",
            kind=OrganisationType.MUNICIPALITY,
            country="FR",
        )


def test_plain_user_cannot_create_organisation(plain_user):
    with pytest.raises(PermissionDenied):
        services.create_organisation(
            actor=plain_user, name="Bonn", kind=OrganisationType.MUNICIPALITY, country="DE"
        )


def test_create_organisation_reports_field_errors(staff_user):
    with pytest.raises(ValidationError) as excinfo:
        services.create_organisation(
            actor=staff_user,
            name="",
            kind="castle",
            country="QQ",
            website="not a url",
            working_languages=["de", "xx"],
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {"name", "kind", "country", "website", "working_languages"}
    assert errors["working_languages"] == ["Unknown codes: xx."]
    assert Organisation.objects.count() == 0


def test_editor_updates_profile_and_lists_are_stored_delimited(organisation_editor, organisation):
    services.update_organisation_profile(
        actor=organisation_editor,
        organisation=organisation,
        description="<script>alert(1)</script> Wir suchen Partner.",
        working_languages=["de", "en"],
        partnership_interests=["twinning", "peer_learning"],
        visibility=Visibility.MEMBERS,
    )
    organisation.refresh_from_db()
    # Stored as the text it is; templates escape it on output.
    assert organisation.description == "<script>alert(1)</script> Wir suchen Partner."
    assert organisation.working_languages == ",de,en,"
    assert organisation.working_language_codes == ["de", "en"]
    assert organisation.partnership_interest_codes == ["twinning", "peer_learning"]
    assert organisation.visibility == Visibility.MEMBERS


def test_editor_of_one_organisation_cannot_edit_another(organisation_editor, other_organisation):
    with pytest.raises(PermissionDenied):
        services.update_organisation_profile(
            actor=organisation_editor, organisation=other_organisation, description="mine now"
        )
    other_organisation.refresh_from_db()
    assert other_organisation.description == ""


def test_editor_cannot_change_structural_fields(organisation_editor, organisation):
    with pytest.raises(PermissionDenied):
        services.update_organisation_profile(
            actor=organisation_editor, organisation=organisation, country="FR"
        )


def test_update_rejects_unknown_interest(organisation_editor, organisation):
    with pytest.raises(ValidationError) as excinfo:
        services.update_organisation_profile(
            actor=organisation_editor,
            organisation=organisation,
            partnership_interests=["conquest"],
        )
    assert excinfo.value.message_dict == {"partnership_interests": ["Unknown codes: conquest."]}


def test_renaming_refreshes_search_text(staff_user, organisation):
    services.set_other_names(actor=staff_user, organisation=organisation, names=[("en", "Cologne")])
    services.update_organisation_profile(
        actor=staff_user, organisation=organisation, name="Stadt Köln"
    )
    organisation.refresh_from_db()
    assert organisation.search_text == "|stadt koln|cologne|"


def test_human_edit_completes_a_placeholder(staff_user, association):
    Organisation.objects.filter(pk=association.pk).update(is_placeholder=True)
    association.refresh_from_db()
    services.update_organisation_profile(
        actor=staff_user, organisation=association, website="https://www.rgre.de/"
    )
    association.refresh_from_db()
    assert association.is_placeholder is False
    assert association.website == "https://www.rgre.de/"


def test_set_other_names_replaces_and_dedupes(organisation_editor, organisation):
    services.set_other_names(
        actor=organisation_editor,
        organisation=organisation,
        names=[("en", "Cologne"), ("es", "Colonia"), ("en", " Cologne "), ("", "Kölle")],
    )
    assert sorted(organisation.other_names.values_list("language", "name")) == [
        ("", "Kölle"),
        ("en", "Cologne"),
        ("es", "Colonia"),
    ]
    organisation.refresh_from_db()
    assert organisation.search_text == "|koln|cologne|colonia|kolle|"
    with pytest.raises(ValidationError) as excinfo:
        services.set_other_names(
            actor=organisation_editor, organisation=organisation, names=[("zz", "Koloń")]
        )
    assert excinfo.value.message_dict == {"other_names": ["Unknown language code: zz."]}


# -- verification ----------------------------------------------------------------


def test_association_manager_verifies_member_audited_and_admins_told(
    association_manager, organisation, organisation_admin
):
    services.verify_organisation(actor=association_manager, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verified_by == association_manager
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_VERIFIED)
    assert (entry.actor, entry.target_id) == (association_manager, str(organisation.pk))
    notification = Notification.objects.get(recipient=organisation_admin)
    assert notification.kind == "directory.organisation_verified"
    assert notification.url == organisation.get_absolute_url()

    # A second verification changes nothing and is not audited again.
    services.verify_organisation(actor=association_manager, organisation=organisation)
    assert AuditEntry.objects.filter(action=AuditAction.ORGANISATION_VERIFIED).count() == 1

    services.withdraw_verification(actor=association_manager, organisation=organisation)
    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert organisation.verified_by is None
    assert AuditEntry.objects.filter(action=AuditAction.ORGANISATION_UNVERIFIED).count() == 1
    assert Notification.objects.filter(recipient=organisation_admin).count() == 2


def test_association_manager_only_verifies_members_of_own_association(
    association_manager, other_organisation
):
    with pytest.raises(PermissionDenied):
        services.verify_organisation(actor=association_manager, organisation=other_organisation)
    other_organisation.refresh_from_db()
    assert not other_organisation.is_verified
    assert not AuditEntry.objects.filter(action=AuditAction.ORGANISATION_VERIFIED).exists()


def test_editor_cannot_verify_own_organisation(organisation_editor, organisation):
    with pytest.raises(PermissionDenied):
        services.verify_organisation(actor=organisation_editor, organisation=organisation)


# -- challenges and expertise ----------------------------------------------------


def test_challenge_lifecycle(organisation_editor, organisation, theme, sdg):
    first = services.add_challenge(
        actor=organisation_editor,
        organisation=organisation,
        title="Hitzeschutz",
        text="Wie schützen wir Ältere vor Hitzewellen?",
        language="de",
        themes=["climate"],
        sdgs=[11],
    )
    second = services.add_challenge(
        actor=organisation_editor,
        organisation=organisation,
        title="Wohnraum",
        text="Bezahlbarer Wohnraum.",
        language="DE",
    )
    assert (first.position, second.position) == (0, 1)
    assert second.language == "de"
    assert list(first.themes.all()) == [theme]
    assert list(first.sdgs.all()) == [sdg]

    services.update_challenge(actor=organisation_editor, challenge=first, title="Hitze", themes=[])
    first.refresh_from_db()
    assert first.title == "Hitze"
    assert list(first.themes.all()) == []

    services.delete_challenge(actor=organisation_editor, challenge=second)
    assert list(Challenge.objects.filter(organisation=organisation)) == [first]


def test_challenge_field_errors(organisation_editor, organisation, theme):
    with pytest.raises(ValidationError) as excinfo:
        services.add_challenge(
            actor=organisation_editor,
            organisation=organisation,
            title="",
            text="x",
            language="xx",
            themes=["nope"],
            sdgs=[99, "x"],
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {"title", "language", "themes", "sdgs"}
    assert errors["themes"] == ["Unknown themes: nope."]
    assert errors["sdgs"] == ["Unknown goals: 99, -1."]
    assert not Challenge.objects.exists()


def test_expertise_only_by_editors_of_the_organisation(
    organisation_editor, other_organisation, organisation
):
    with pytest.raises(PermissionDenied):
        services.add_expertise(
            actor=organisation_editor,
            organisation=other_organisation,
            title="Metro",
            text="x",
            language="pl",
        )
    offer = services.add_expertise(
        actor=organisation_editor,
        organisation=organisation,
        title="Fernwärme",
        text="Erfahrung mit Fernwärmenetzen.",
        language="de",
    )
    services.update_expertise(actor=organisation_editor, expertise=offer, position=5)
    offer.refresh_from_db()
    assert offer.position == 5
    outsider = make_user("outsider@example.org")
    with pytest.raises(PermissionDenied):
        services.delete_expertise(actor=outsider, expertise=offer)
    services.delete_expertise(actor=organisation_editor, expertise=offer)
    assert not Expertise.objects.exists()


# -- people ----------------------------------------------------------------------


def test_people_and_consent(organisation_admin, organisation, other_organisation):
    person = services.add_person(
        actor=organisation_admin,
        organisation=organisation,
        name="Henriette Reker",
        position=Position.MAYOR_OR_PRESIDENT,
        email="ob@stadt-koeln.de",
    )
    assert person.consent_given_at is None
    services.record_consent(person=person, given=True)
    person.refresh_from_db()
    given_at = person.consent_given_at
    assert given_at is not None
    # Giving consent again keeps the original date.
    services.record_consent(person=person, given=True)
    person.refresh_from_db()
    assert person.consent_given_at == given_at
    services.record_consent(person=person, given=False)
    person.refresh_from_db()
    assert person.consent_given_at is None

    services.update_person(actor=organisation_admin, person=person, title="Oberbürgermeisterin")
    person.refresh_from_db()
    assert person.title == "Oberbürgermeisterin"
    with pytest.raises(ValidationError) as excinfo:
        services.update_person(actor=organisation_admin, person=person, email="nope")
    assert set(excinfo.value.message_dict) == {"email"}
    with pytest.raises(PermissionDenied):
        services.add_person(
            actor=organisation_admin,
            organisation=other_organisation,
            name="Someone",
            position=Position.STAFF,
        )


def test_staff_verify_any_organisation_and_every_admin_is_told(staff_user, other_organisation):
    admins = [make_user(f"admin{i}@example.org") for i in range(2)]
    for admin in admins:
        account_services.grant_role(
            actor=None, user=admin, role=Role.ORGANISATION_ADMIN, organisation=other_organisation
        )
    services.verify_organisation(actor=staff_user, organisation=other_organisation)
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "admin0@example.org",
        "admin1@example.org",
    ]


def test_duplicates_are_field_errors_not_database_errors(staff_user, organisation, plain_user):
    services.update_organisation_profile(
        actor=staff_user, organisation=organisation, geonames_id=2886242
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_organisation(
            actor=staff_user,
            name="Köln",
            kind=OrganisationType.MUNICIPALITY,
            country="DE",
            geonames_id=2886242,
        )
    assert set(excinfo.value.message_dict) == {"geonames_id"}
    services.add_person(
        actor=staff_user,
        organisation=organisation,
        name="First",
        position=Position.STAFF,
        user=plain_user,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.add_person(
            actor=staff_user,
            organisation=organisation,
            name="Second",
            position=Position.STAFF,
            user=plain_user,
        )
    assert set(excinfo.value.message_dict) == {"user"}
