"""Pages of events, role by role: anonymous visitors, participants, principals,
delegation officers, organisers and staff."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import make_user
from municipia.accounts import services as account_services
from municipia.accounts.enums import Role
from municipia.events import services
from municipia.events.enums import (
    AgendaStatus,
    EventKind,
    EventVisibility,
    RegistrationStatus,
    SessionAudience,
    SessionKind,
)
from municipia.events.models import AgendaItem, Event, Registration, Session
from municipia.events.tests.core_helpers import register_mayor

MADRID = ZoneInfo("Europe/Madrid")


def first_day() -> datetime.date:
    # Always in the future, so that registration is open.
    return timezone.localdate() + datetime.timedelta(days=40)


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = first_day() + datetime.timedelta(days=day_offset)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MADRID)


def url(name: str, event, **kwargs) -> str:
    return reverse(f"events:{name}", kwargs={"slug": event.slug, **kwargs})


@pytest.fixture
def retreat(event_organiser, organisation):
    event = services.create_event(
        actor=event_organiser,
        organisers=[organisation],
        slug="strategic-retreat",
        title="Strategic Retreat",
        kind=EventKind.RETREAT,
        venue_name="Hotel Barcelona Princess",
        address="Avinguda Diagonal 1",
        city="Barcelona",
        country="ES",
        time_zone="Europe/Madrid",
        starts_on=first_day(),
        ends_on=first_day() + datetime.timedelta(days=2),
        languages=["en", "fr"],
        contact_name="Anna Contact",
        contact_email="events@example.org",
        visibility=EventVisibility.PUBLIC,
        is_published=True,
        capacity=3,
        registration_fields=["position", "organisation", "dietary_needs", "consent"],
    )
    day = event.days.get(date=first_day() + datetime.timedelta(days=1))
    services.set_day_theme(actor=event_organiser, day=day, theme="Working for the planet")
    return event


@pytest.fixture
def room(retreat, event_organiser):
    return services.save_room(actor=event_organiser, event=retreat, name="Sala Diagonal")


@pytest.fixture
def plenary(retreat, room, event_organiser):
    session, _warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Opening plenary",
        starts_at=at(1, 9, 30),
        ends_at=at(1, 11),
        room=room,
        kind=SessionKind.PLENARY,
        capacity=1,
        languages=["en"],
        interpretation=["fr"],
        online_url="https://meet.example.org/opening",
        people=[{"guest_name": "Ada Colau", "guest_affiliation": "Barcelona"}],
    )
    return session


@pytest.fixture
def workshop(retreat, event_organiser):
    session, _warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Workshop on district heating",
        starts_at=at(1, 10),
        ends_at=at(1, 12),
        place_name="Sala Mediterrània",
        kind=SessionKind.WORKSHOP,
    )
    return session


@pytest.fixture
def reception(retreat, event_organiser):
    session, _warnings = services.save_session(
        actor=event_organiser,
        event=retreat,
        title="Reception at the City Hall",
        starts_at=at(1, 19),
        ends_at=at(1, 21),
        place_name="Ajuntament de Barcelona",
        place_tbc=True,
        time_tbc=True,
        kind=SessionKind.RECEPTION,
        audience=SessionAudience.PRINCIPALS,
        online_url="https://meet.example.org/reception-secret",
    )
    return session


@pytest.fixture
def programme(plenary, workshop, reception):
    return plenary, workshop, reception


@pytest.fixture
def participant(db):
    return make_user("participant@example.org", display_name="Pia Participant")


@pytest.fixture
def registration(retreat, participant):
    return services.register(
        actor=participant,
        event=retreat,
        participant_name="Pia Participant",
        answers={"position": "officer", "consent": True},
        organisation=retreat.organisers.first(),
    )


@pytest.fixture
def principal(db):
    return make_user("mayor@example.org")


@pytest.fixture
def principal_registration(retreat, principal, organisation):
    return register_mayor(
        retreat,
        principal,
        participant_name="Mayor Example",
        organisation=organisation,
        answers={"consent": True},
    )


# -- event list and page ------------------------------------------------------------


def test_event_list_shows_upcoming_and_past_events_the_viewer_may_see(
    client, retreat, event_organiser
):
    past = services.create_event(
        actor=event_organiser,
        slug="seminar-2021",
        title="UCLG Seminar 2021",
        kind=EventKind.SEMINAR,
        format="online",
        starts_on=datetime.date(2021, 2, 15),
        ends_on=datetime.date(2021, 2, 22),
        is_published=True,
    )
    draft = services.create_event(
        actor=event_organiser,
        slug="draft-congress",
        title="Draft congress",
        kind=EventKind.CONGRESS,
        format="online",
        starts_on=first_day(),
        ends_on=first_day(),
    )
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [retreat]
    assert list(response.context["past"]) == [past]
    assert draft.title not in response.content.decode()

    client.force_login(event_organiser)
    response = client.get(reverse("events:list"))
    assert draft in response.context["upcoming"]
    assert "New event" in response.content.decode()


def test_members_only_event_is_hidden_from_anonymous_visitors(client, retreat, member_user):
    Event.objects.filter(pk=retreat.pk).update(visibility=EventVisibility.MEMBERS)
    assert client.get(url("detail", retreat)).status_code == 404
    assert client.get(url("programme", retreat)).status_code == 404
    client.force_login(member_user)
    assert client.get(url("detail", retreat)).status_code == 200


def test_event_page_shows_the_practical_details(client, retreat):
    response = client.get(url("detail", retreat))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Strategic Retreat",
        "Hotel Barcelona Princess",
        "Europe/Madrid",
        "Köln",
        "Anna Contact",
        "events@example.org",
        "Working for the planet",
        "Log in to register",
    ):
        assert text in html
    assert "Participant list" not in html


def test_unknown_event_is_not_found(client, db):
    assert client.get(reverse("events:detail", kwargs={"slug": "nothing"})).status_code == 404


# -- programme ------------------------------------------------------------------------


def test_programme_by_day_shows_themes_tbc_and_audience(client, retreat, programme):
    response = client.get(url("programme", retreat))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Working for the planet" in html
    assert "time to be confirmed" in html
    assert "place to be confirmed" in html
    assert "Principals and mayors only" in html
    assert "09:30" in html
    # The restricted session's link never appears in a programme.
    assert "reception-secret" not in html


def test_timetable_is_a_table_with_room_and_time_headers(client, retreat, programme):
    response = client.get(url("programme_grid", retreat), {"day": at(1, 0).date().isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="col">Sala Diagonal' in html
    assert '<th scope="col">Other places</th>' in html
    assert '<th scope="row"><time datetime=' in html
    grid = response.context["grid"]
    assert [row["start"] for row in grid["rows"]] == [at(1, 9, 30), at(1, 10), at(1, 19)]


def test_programme_list_filters_by_kind_and_language(client, retreat, programme):
    plenary, workshop, _reception = programme
    response = client.get(url("programme_list", retreat), {"kind": "workshop"})
    assert response.context["sessions"] == [workshop]
    response = client.get(url("programme_list", retreat), {"language": "fr"})
    assert response.context["sessions"] == [plenary]  # by interpretation
    response = client.get(url("programme_list", retreat), {"kind": "not-a-kind"})
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 3


def test_programme_list_filters_by_track(client, retreat, programme, event_organiser):
    from municipia.taxonomy.enums import ThemeKind
    from municipia.taxonomy.models import Theme

    _plenary, workshop, _reception = programme
    climate = Theme.objects.create(
        code="test-climate",
        kind=ThemeKind.IMPACT_COMMUNITY,
        position=901,
        labels={"en": "Test climate", "fr": "Climat d'essai"},
    )
    services.save_session(actor=event_organiser, event=retreat, session=workshop, track=climate)
    response = client.get(url("programme_list", retreat))
    assert ("test-climate", "Test climate") in response.context["filter_form"].fields[
        "track"
    ].choices
    response = client.get(url("programme_list", retreat), {"track": "test-climate"})
    assert [s.pk for s in response.context["sessions"]] == [workshop.pk]
    html = response.content.decode()
    assert "Workshop on district heating" in html
    assert "Opening plenary" not in html
    response = client.get(
        url("programme_list", retreat), {"track": "test-climate", "kind": "plenary"}
    )
    assert response.context["sessions"] == []
    # French labels of the track in the French page (the override puts the
    # language back for the tests that follow: the request activates French).
    with translation.override("fr"):
        response = client.get(url("programme_list", retreat))
    assert response.context["LANGUAGE_CODE"] == "fr"
    assert ("test-climate", "Climat d'essai") in response.context["filter_form"].fields[
        "track"
    ].choices


def test_programme_list_answers_htmx_with_the_results_only(client, retreat, programme):
    response = client.get(
        url("programme_list", retreat), {"kind": "reception"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Reception at the City Hall" in html
    assert "Opening plenary" not in html


def test_times_in_the_viewers_zone_on_request(client, retreat, programme):
    response = client.get(url("programme", retreat))
    assert "09:30" in response.content.decode()
    response = client.get(url("programme", retreat), {"tz": "America/New_York"})
    html = response.content.decode()
    expected = at(1, 9, 30).astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert expected in html
    assert "Times are shown in <strong>America/New_York</strong>" in html
    # An unknown zone falls back to the event's, without an error.
    response = client.get(url("programme", retreat), {"tz": "Mars/Olympus"})
    assert response.status_code == 200
    assert response.context["display_tz"] == MADRID


def test_programme_page_queries_do_not_grow_with_sessions(
    client, retreat, programme, event_organiser, registration, django_assert_max_num_queries
):
    client.force_login(registration.user)
    client.get(url("programme", retreat))  # warm caches (site, themes)
    cache.clear()
    with django_assert_max_num_queries(30) as cold:
        client.get(url("programme", retreat))
    with django_assert_max_num_queries(30) as warm:
        client.get(url("programme", retreat))
    for n in range(20):
        services.save_session(
            actor=event_organiser,
            event=retreat,
            title=f"Breakout {n}",
            starts_at=at(2, 9),
            ends_at=at(2, 10),
            kind=SessionKind.BREAKOUT,
            people=[{"guest_name": f"Speaker {n}"}],
        )
    # A changed programme is rendered again, with as many queries as before.
    with django_assert_max_num_queries(len(cold.captured_queries)):
        response = client.get(url("programme", retreat))
    assert "Breakout 19" in response.content.decode()
    assert "Speaker 19" in response.content.decode()
    # Then it comes from the cache, personalised in a fixed number of queries.
    with django_assert_max_num_queries(len(warm.captured_queries)):
        response = client.get(url("programme", retreat))
    assert response.content.decode().count("Add to my agenda") == 22


def test_cached_programme_is_personalised_per_viewer(client, retreat, programme, registration):
    plenary, _workshop, _reception = programme
    html = client.get(url("programme", retreat)).content.decode()
    assert "Add to my agenda" not in html
    assert "1 place left" in html  # the plenary has one seat
    client.force_login(registration.user)
    html = client.get(url("programme", retreat)).content.decode()
    assert "Add to my agenda" in html
    services.add_to_agenda(actor=registration.user, registration=registration, session=plenary)
    html = client.get(url("programme", retreat)).content.decode()
    assert "In your agenda" in html
    assert "0 places left" in html
    client.logout()
    html = client.get(url("programme", retreat)).content.decode()
    assert "In your agenda" not in html


# -- sessions -------------------------------------------------------------------------


def test_session_page_explains_the_audience_and_hides_the_link(
    client, retreat, reception, registration
):
    response = client.get(url("session", retreat, pk=reception.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ajuntament de Barcelona" in html
    assert "place to be confirmed" in html
    assert "Only participants registered as principals or mayors may join" in html
    assert "reception-secret" not in html

    client.force_login(registration.user)
    html = client.get(url("session", retreat, pk=reception.pk)).content.decode()
    assert "reception-secret" not in html
    assert "Add to my agenda" not in html
    assert "You cannot join this session." in html


def test_principal_sees_the_link_of_a_principals_only_session(
    client, retreat, reception, principal_registration
):
    assert principal_registration.is_principal
    client.force_login(principal_registration.user)
    html = client.get(url("session", retreat, pk=reception.pk)).content.decode()
    assert "https://meet.example.org/reception-secret" in html
    assert "Add to my agenda" in html


def test_session_page_shows_people_languages_and_places(client, retreat, plenary, registration):
    client.force_login(registration.user)
    response = client.get(url("session", retreat, pk=plenary.pk))
    html = response.content.decode()
    assert "Ada Colau" in html
    assert "Interpretation into" in html
    assert "French" in html
    assert response.context["places_left"] == 1
    assert "https://meet.example.org/opening" in html


def test_session_of_another_event_is_not_found(client, retreat, plenary, event_organiser):
    other = services.create_event(
        actor=event_organiser,
        slug="other",
        title="Other",
        kind=EventKind.WEBINAR,
        format="online",
        starts_on=first_day(),
        ends_on=first_day(),
        is_published=True,
    )
    assert client.get(url("session", other, pk=plenary.pk)).status_code == 404


# -- registration ---------------------------------------------------------------------


def test_registration_form_asks_the_organisers_questions(client, retreat, organisation_editor):
    client.force_login(organisation_editor)
    response = client.get(url("register", retreat))
    form = response.context["form"]
    assert set(form.fields) == {
        "participant_name",
        "participant_email",
        "organisation",
        "position",
        "dietary_needs",
        "consent",
    }


def test_anonymous_visitors_are_sent_to_log_in(client, retreat):
    response = client.get(url("register", retreat))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_register_confirms_and_shows_the_status(client, retreat, organisation_editor, organisation):
    client.force_login(organisation_editor)
    response = client.post(
        url("register", retreat),
        {
            "participant_name": "Erika Editor",
            "organisation": organisation.pk,
            "position": "officer",
            "dietary_needs": "vegetarian",
            "consent": "on",
        },
        follow=True,
    )
    registration = Registration.objects.get(user=organisation_editor)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.dietary_needs == "vegetarian"
    assert registration.participant_email == organisation_editor.email
    html = response.content.decode()
    assert "You are registered" in html
    assert "Cancel my registration" in html
    # A second visit to the form goes back to the event.
    response = client.get(url("register", retreat))
    assert response.status_code == 302


def test_register_without_consent_shows_a_field_error(client, retreat, participant):
    client.force_login(participant)
    response = client.post(url("register", retreat), {"participant_name": "Pia"})
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_full_event_puts_people_on_the_waiting_list_with_their_position(
    client, retreat, registration, principal_registration
):
    services.register(
        actor=make_user("third@example.org"),
        event=retreat,
        participant_name="Third",
        organisation=retreat.organisers.first(),
        answers={"consent": True},
    )
    late = make_user("late@example.org")
    fourth = make_user("fourth@example.org")
    client.force_login(late)
    client.post(
        url("register", retreat),
        {"participant_name": "Late", "organisation": "", "consent": "on"},
    )
    assert not Registration.objects.filter(user=late).exists()  # organisation required
    services.register(
        actor=fourth,
        event=retreat,
        participant_name="Fourth",
        organisation=retreat.organisers.first(),
        answers={"consent": True},
    )
    Event.objects.filter(pk=retreat.pk).update(registration_fields=["consent"])
    response = client.post(
        url("register", retreat), {"participant_name": "Late", "consent": "on"}, follow=True
    )
    assert Registration.objects.get(user=late).status == RegistrationStatus.WAITING_LIST
    assert "waiting list" in response.content.decode()
    assert response.context["waiting_position"] == 2


def test_invitation_events_cannot_be_joined_by_oneself(client, retreat, participant):
    Event.objects.filter(pk=retreat.pk).update(visibility=EventVisibility.INVITATION)
    client.force_login(participant)
    assert client.get(url("register", retreat)).status_code == 404


def test_officer_registers_their_mayor(client, retreat, organisation_editor, organisation):
    client.force_login(organisation_editor)
    page = client.get(url("detail", retreat))
    assert "Register a member of your delegation" in page.content.decode()
    response = client.post(
        url("register", retreat) + "?for=delegation",
        {
            "for": "delegation",
            "participant_name": "Henriette Reker",
            "participant_email": "mayor@koeln.example",
            "organisation": organisation.pk,
            "position": "mayor_or_president",
            "consent": "on",
        },
        follow=True,
    )
    mayor = Registration.objects.get(participant_email="mayor@koeln.example")
    assert mayor.registered_by == organisation_editor
    assert mayor.user is None
    assert mayor.is_principal
    html = response.content.decode()
    assert "Henriette Reker is registered" in html
    assert "Your delegation" in html


def test_plain_user_may_not_register_a_delegation(client, retreat, participant, organisation):
    client.force_login(participant)
    response = client.get(url("register", retreat) + "?for=delegation")
    assert response.status_code == 403
    response = client.post(
        url("register", retreat) + "?for=delegation",
        {
            "for": "delegation",
            "participant_name": "Someone",
            "participant_email": "someone@else.example",
            "organisation": organisation.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_participant_cancels_and_the_waiting_list_moves_up(
    client, retreat, registration, principal_registration
):
    Event.objects.filter(pk=retreat.pk).update(capacity=2)
    waiting = services.register(
        actor=make_user("waiting@example.org"),
        event=retreat,
        participant_name="Waiting",
        organisation=retreat.organisers.first(),
        answers={"consent": True},
    )
    assert waiting.status == RegistrationStatus.WAITING_LIST
    client.force_login(registration.user)
    response = client.post(url("registration_cancel", retreat, pk=registration.pk), follow=True)
    assert "is cancelled" in response.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_nobody_else_cancels_a_registration(client, retreat, registration, principal):
    client.force_login(principal)
    response = client.post(url("registration_cancel", retreat, pk=registration.pk))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancel_needs_post(client, retreat, registration):
    client.force_login(registration.user)
    assert client.get(url("registration_cancel", retreat, pk=registration.pk)).status_code == 405


# -- personal agenda ------------------------------------------------------------------


def test_agenda_add_warns_about_clashes_and_shows_the_feed(
    client, retreat, programme, registration
):
    plenary, workshop, _reception = programme
    client.force_login(registration.user)
    response = client.post(url("agenda_add", retreat, pk=plenary.pk), follow=True)
    assert "“Opening plenary” is in your agenda." in response.content.decode()
    response = client.post(
        url("agenda_add", retreat, pk=workshop.pk),
        {"next": url("programme", retreat)},
        follow=True,
    )
    html = response.content.decode()
    # Back at the session in the programme, where the keyboard was.
    assert response.redirect_chain[-1][0] == f"{url('programme', retreat)}#session-{workshop.pk}"
    assert f'id="session-{workshop.pk}"' in html
    assert "clashes with “Opening plenary”" in html

    response = client.get(url("agenda", retreat))
    html = response.content.decode()
    assert "Clashes in the agenda" in html
    assert registration.feed_token in response.context["feed_url"]
    assert response.context["feed_url"].startswith("http")
    feed = client.get(reverse("events:agenda_feed", kwargs={"token": registration.feed_token}))
    assert feed.status_code == 200
    assert "Opening plenary" in feed.content.decode()


def test_agenda_refuses_a_principals_only_session_with_a_message(
    client, retreat, reception, registration
):
    client.force_login(registration.user)
    response = client.post(url("agenda_add", retreat, pk=reception.pk), follow=True)
    assert "open to principals and mayors only" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_full_session_puts_people_on_its_waiting_list(
    client, retreat, plenary, registration, principal_registration
):
    services.add_to_agenda(
        actor=principal_registration.user, registration=principal_registration, session=plenary
    )
    client.force_login(registration.user)
    response = client.post(url("agenda_add", retreat, pk=plenary.pk), follow=True)
    assert "you are on its waiting list" in response.content.decode()
    assert AgendaItem.objects.get(registration=registration).status == AgendaStatus.WAITING_LIST


def test_agenda_remove(client, retreat, plenary, registration):
    services.add_to_agenda(actor=registration.user, registration=registration, session=plenary)
    client.force_login(registration.user)
    response = client.post(url("agenda_remove", retreat, pk=plenary.pk), follow=True)
    assert "no longer in your agenda" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_agenda_without_registration(client, retreat, participant, plenary):
    client.force_login(participant)
    response = client.get(url("agenda", retreat))
    assert "You are not registered for this event." in response.content.decode()
    response = client.post(url("agenda_add", retreat, pk=plenary.pk), follow=True)
    assert "Register for the event first." in response.content.decode()


def test_officer_manages_the_agenda_of_their_delegate(
    client, retreat, plenary, organisation_editor, organisation, principal
):
    mayor = services.register(
        actor=organisation_editor,
        event=retreat,
        participant_name="Mayor",
        participant_email="mayor-no-account@example.org",
        organisation=organisation,
        answers={"consent": True},
    )
    client.force_login(organisation_editor)
    response = client.get(url("agenda", retreat), {"registration": mayor.pk})
    assert response.status_code == 200
    assert "Agenda of Mayor" in response.content.decode()
    client.force_login(principal)
    assert client.get(url("agenda", retreat), {"registration": mayor.pk}).status_code == 404


# -- organisers -----------------------------------------------------------------------


def event_post(**changes) -> dict:
    data = {
        "title": "CEMR Strategic Retreat",
        "slug": "cemr-retreat",
        "kind": "retreat",
        "format": "in_person",
        "venue_name": "Hotel Barcelona Princess",
        "city": "Barcelona",
        "country": "ES",
        "time_zone": "Europe/Madrid",
        "starts_on": first_day().isoformat(),
        "ends_on": (first_day() + datetime.timedelta(days=2)).isoformat(),
        "languages": ["en"],
        "visibility": "public",
        "is_published": "on",
        "registration_fields": ["consent"],
        "registration_closes_at": f"{first_day().isoformat()}T18:00",
    }
    data.update(changes)
    return data


def test_only_event_organisers_create_events(client, participant, event_organiser):
    client.force_login(participant)
    assert client.get(reverse("events:create")).status_code == 403
    client.force_login(event_organiser)
    assert client.get(reverse("events:create")).status_code == 200
    response = client.post(reverse("events:create"), event_post())
    event = Event.objects.get(slug="cemr-retreat")
    assert response["Location"] == event.get_absolute_url()
    assert event.created_by == event_organiser
    # Typed in the event's zone: 18:00 in Madrid.
    assert event.registration_closes_at.astimezone(MADRID).hour == 18
    assert event.days.count() == 3


def test_event_form_field_errors(client, event_organiser):
    client.force_login(event_organiser)
    response = client.post(
        reverse("events:create"),
        event_post(ends_on="2000-01-01", time_zone="Nowhere/Town", title=""),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert {"title", "time_zone"} <= set(errors)
    assert not Event.objects.exists()


def test_nonexistent_local_time_is_refused(client, event_organiser):
    client.force_login(event_organiser)
    # Clocks in Madrid jump from 02:00 to 03:00 on the last Sunday of March.
    year = timezone.localdate().year + 1
    last_sunday = max(
        datetime.date(year, 3, day)
        for day in range(25, 32)
        if datetime.date(year, 3, day).weekday() == 6
    )
    response = client.post(
        reverse("events:create"),
        event_post(registration_closes_at=f"{last_sunday.isoformat()}T02:30"),
    )
    assert "registration_closes_at" in response.context["form"].errors


@pytest.mark.parametrize("who", ["anonymous", "participant", "other_organiser"])
def test_outsiders_cannot_edit(client, retreat, participant, who):
    if who == "participant":
        client.force_login(participant)
    elif who == "other_organiser":
        other = make_user("other-organiser@example.org")
        account_services.grant_role(actor=None, user=other, role=Role.EVENT_ORGANISER)
        client.force_login(other)
    for name in ("edit", "session_create", "participants"):
        response = client.get(url(name, retreat))
        assert response.status_code in (302, 403), name
        if who != "anonymous":
            assert response.status_code == 403


@pytest.mark.parametrize("who", ["event_organiser", "staff_user", "organisation_admin"])
def test_managers_edit_the_event(client, retreat, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("edit", retreat))
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == "Strategic Retreat"
    response = client.post(
        url("edit", retreat),
        event_post(title="Strategic Retreat 2", slug="strategic-retreat"),
    )
    assert response.status_code == 302
    retreat.refresh_from_db()
    assert retreat.title == "Strategic Retreat 2"


def session_post(room=None, **changes) -> dict:
    day = at(1, 0).date().isoformat()
    data = {
        "title": "Side event on housing",
        "kind": "side_event",
        "starts_at": f"{day}T10:30",
        "ends_at": f"{day}T11:30",
        "audience": "registered",
        "speakers": "Ada Colau, Barcelona\nDario Nardella",
        "languages": ["en"],
    }
    if room is not None:
        data["room"] = room.pk
    data.update(changes)
    return data


def test_session_form_warns_about_double_booking_and_speaker_clashes(
    client, retreat, plenary, room, event_organiser
):
    client.force_login(event_organiser)
    response = client.post(url("session_create", retreat), session_post(room=room), follow=True)
    session = Session.objects.get(title="Side event on housing")
    assert session.starts_at == at(1, 10, 30)
    assert [p.display_name for p in session.people.all()] == ["Ada Colau", "Dario Nardella"]
    html = response.content.decode()
    assert "Sala Diagonal is also booked for “Opening plenary”" in html
    assert "Ada Colau also speaks in “Opening plenary”" in html


def test_session_form_refuses_an_end_before_the_start(client, retreat, event_organiser):
    client.force_login(event_organiser)
    response = client.post(
        url("session_create", retreat),
        session_post(ends_at=f"{at(1, 0).date().isoformat()}T09:00"),
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    response = client.post(url("session_create", retreat), session_post(starts_at="tomorrow"))
    assert "starts_at" in response.context["form"].errors
    assert not Session.objects.exists()


def test_editing_a_session_keeps_its_people_when_untouched(
    client, retreat, plenary, event_organiser
):
    client.force_login(event_organiser)
    form = client.get(url("session_edit", retreat, pk=plenary.pk)).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data["room"] = plenary.room_id
    data["title"] = "Opening plenary (new title)"
    response = client.post(url("session_edit", retreat, pk=plenary.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    plenary.refresh_from_db()
    assert plenary.title == "Opening plenary (new title)"
    assert plenary.starts_at == at(1, 9, 30)
    assert [p.guest_name for p in plenary.people.all()] == ["Ada Colau"]


def test_session_delete_asks_first(client, retreat, plenary, event_organiser, participant):
    client.force_login(participant)
    assert client.post(url("session_delete", retreat, pk=plenary.pk)).status_code == 403
    client.force_login(event_organiser)
    assert client.get(url("session_delete", retreat, pk=plenary.pk)).status_code == 200
    assert Session.objects.filter(pk=plenary.pk).exists()
    client.post(url("session_delete", retreat, pk=plenary.pk))
    assert not Session.objects.filter(pk=plenary.pk).exists()


def test_participant_list_filters_and_counts(
    client, retreat, registration, principal_registration, event_organiser, participant
):
    client.force_login(participant)
    assert client.get(url("participants", retreat)).status_code == 403
    services.cancel_registration(actor=participant, registration=registration)
    client.force_login(event_organiser)
    response = client.get(url("participants", retreat))
    assert response.status_code == 200
    assert response.context["counts"]["confirmed"] == 1
    assert response.context["counts"]["cancelled"] == 1
    assert response.context["counts"]["places_left"] == 2
    response = client.get(url("participants", retreat), {"status": "cancelled"})
    assert response.context["registrations"] == [registration]
    response = client.get(url("participants", retreat), {"country": "PL"})
    assert response.context["registrations"] == []
    response = client.get(url("participants", retreat), {"country": "DE"})
    assert len(response.context["registrations"]) == 2


def test_participant_export_csv_and_xlsx_defuse_formulas(
    client, retreat, participant, event_organiser
):
    services.register(
        actor=participant,
        event=retreat,
        participant_name='=HYPERLINK("http://evil.example")',
        organisation=retreat.organisers.first(),
        answers={"consent": True, "dietary_needs": "+vegan"},
    )
    client.force_login(participant)
    assert client.get(url("participants_export", retreat, fmt="csv")).status_code == 403
    client.force_login(event_organiser)
    response = client.get(url("participants_export", retreat, fmt="csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["name", "email", "organisation"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][10] == "'+vegan"
    response = client.get(url("participants_export", retreat, fmt="xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.cell(2, 1).data_type == "s"
    assert sheet.cell(2, 2).value == "participant@example.org"
    assert client.get(url("participants_export", retreat, fmt="pdf")).status_code == 404


def test_organiser_approves_and_declines(client, retreat, event_organiser, participant, principal):
    Event.objects.filter(pk=retreat.pk).update(requires_approval=True)
    retreat.refresh_from_db()
    first = services.register(
        actor=participant,
        event=retreat,
        participant_name="First",
        organisation=retreat.organisers.first(),
        answers={"consent": True},
    )
    second = services.register(
        actor=principal,
        event=retreat,
        participant_name="Second",
        organisation=retreat.organisers.first(),
        answers={"consent": True},
    )
    assert first.status == second.status == RegistrationStatus.PENDING
    client.force_login(participant)
    response = client.post(url("registration_decide", retreat, pk=second.pk, decision="approve"))
    assert response.status_code == 403
    client.force_login(event_organiser)
    html = client.get(url("participants", retreat)).content.decode()
    assert "Approve" in html
    response = client.post(
        url("registration_decide", retreat, pk=first.pk, decision="approve"), follow=True
    )
    assert "First is approved." in response.content.decode()
    client.post(url("registration_decide", retreat, pk=second.pk, decision="decline"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.DECLINED
    response = client.post(
        url("registration_decide", retreat, pk=second.pk, decision="approve"), follow=True
    )
    assert "Only a registration awaiting approval can be approved." in response.content.decode()
    assert (
        client.post(url("registration_decide", retreat, pk=first.pk, decision="maybe")).status_code
        == 404
    )


def test_main_navigation_links_to_events(client, db):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("events:list")}"' in html


def test_event_address_is_derived_from_the_title_when_left_empty(client, event_organiser):
    client.force_login(event_organiser)
    client.post(reverse("events:create"), event_post(slug="", title="Annual Congress"))
    client.post(reverse("events:create"), event_post(slug="", title="Annual Congress"))
    slugs = sorted(Event.objects.values_list("slug", flat=True))
    assert slugs == ["annual-congress", f"annual-congress-{first_day().year}"]


def test_organisers_set_up_rooms_and_day_themes(client, retreat, event_organiser, participant):
    client.force_login(participant)
    assert client.get(url("setup", retreat)).status_code == 403
    client.force_login(event_organiser)
    assert client.get(url("setup", retreat)).status_code == 200
    response = client.post(
        url("setup", retreat),
        {"action": "room", "name": "Sala Diagonal", "capacity": "80", "order": "1"},
    )
    assert response.status_code == 302
    room = retreat.rooms.get()
    assert room.capacity == 80
    # A second room of the same name is a field error, not a crash.
    response = client.post(url("setup", retreat), {"action": "room", "name": "Sala Diagonal"})
    assert "name" in response.context["room_form"].errors
    response = client.post(
        url("setup", retreat),
        {"action": "room", "room": room.pk, "name": "Sala Diagonal", "capacity": "-3"},
    )
    assert "capacity" in response.context["room_form"].errors
    days = list(retreat.days.all())
    response = client.post(
        url("setup", retreat),
        {"action": "days", f"day_{days[0].pk}": "Working for the people"},
    )
    assert response.status_code == 302
    days[0].refresh_from_db()
    assert days[0].theme == "Working for the people"
    days[1].refresh_from_db()
    assert days[1].theme == ""  # cleared: it was not in the post


def test_organiser_confirms_principals_and_records_attendance(
    client, retreat, reception, registration, event_organiser, participant
):
    decide = url("registration_decide", retreat, pk=registration.pk, decision="principal")
    client.force_login(participant)
    assert client.post(decide).status_code == 403
    client.force_login(event_organiser)
    html = client.get(url("participants", retreat)).content.decode()
    assert "Mark as attended" in html
    response = client.post(decide, follow=True)
    assert "Pia Participant is now counted as a principal or mayor." in response.content.decode()
    registration.refresh_from_db()
    assert registration.is_principal
    client.post(url("registration_decide", retreat, pk=registration.pk, decision="attended"))
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert client.get(url("participants", retreat)).context["counts"]["attended"] == 1
    # Now a principal, the participant may join the principals-only reception.
    client.force_login(participant)
    response = client.post(url("agenda_add", retreat, pk=reception.pk), follow=True)
    assert "is in your agenda" in response.content.decode()


def test_organiser_invites_participants_to_a_session(
    client, retreat, registration, principal_registration, event_organiser
):
    client.force_login(event_organiser)
    response = client.post(
        url("session_create", retreat),
        session_post(
            title="Dinner of the Presidency",
            audience="invited",
            invited=[principal_registration.pk],
            speakers="",
        ),
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Dinner of the Presidency")
    assert list(session.invited.all()) == [principal_registration]
    client.force_login(registration.user)
    response = client.post(url("agenda_add", retreat, pk=session.pk), follow=True)
    assert "open to invited participants only" in response.content.decode()
    client.force_login(principal_registration.user)
    response = client.post(url("agenda_add", retreat, pk=session.pk), follow=True)
    assert "is in your agenda" in response.content.decode()


def test_list_pages_query_counts_do_not_grow(
    client, retreat, event_organiser, django_assert_max_num_queries
):
    def add_events(n, start):
        for i in range(start, start + n):
            services.create_event(
                actor=event_organiser,
                organisers=list(retreat.organisers.all()),
                slug=f"webinar-{i}",
                title=f"Webinar {i}",
                kind=EventKind.WEBINAR,
                format="online",
                starts_on=first_day(),
                ends_on=first_day(),
                is_published=True,
            )
            services.register(
                actor=event_organiser,
                event=retreat,
                participant_name=f"Guest {i}",
                participant_email=f"guest{i}@example.org",
                organisation=retreat.organisers.first(),
                answers={"consent": True},
            )

    client.force_login(event_organiser)
    add_events(1, 0)
    client.get(reverse("events:list"))
    with django_assert_max_num_queries(40) as few_events:
        client.get(reverse("events:list"))
    with django_assert_max_num_queries(40) as few_people:
        client.get(url("participants", retreat))
    add_events(15, 1)
    with django_assert_max_num_queries(len(few_events.captured_queries)):
        response = client.get(reverse("events:list"))
    assert len(response.context["upcoming"]) == 17
    with django_assert_max_num_queries(len(few_people.captured_queries)):
        response = client.get(url("participants", retreat))
    assert len(response.context["registrations"]) == 16


def test_a_cancelled_participant_may_register_again(client, retreat, registration):
    services.cancel_registration(actor=registration.user, registration=registration)
    client.force_login(registration.user)
    page = client.get(url("detail", retreat)).content.decode()
    assert "Your last registration: Cancelled." in page
    assert client.get(url("register", retreat)).status_code == 200
    client.post(
        url("register", retreat),
        {
            "participant_name": "Pia Participant",
            "organisation": retreat.organisers.first().pk,
            "consent": "on",
        },
    )
    assert registration.user.event_registrations.filter(status="confirmed").count() == 1


def test_past_event_says_it_has_ended(client, retreat, participant):
    Event.objects.filter(pk=retreat.pk).update(
        starts_on=datetime.date(2021, 2, 15), ends_on=datetime.date(2021, 2, 22)
    )
    client.force_login(participant)
    html = client.get(url("detail", retreat)).content.decode()
    assert "This event has ended." in html
    assert url("register", retreat) not in html


def test_online_links_come_from_the_session_its_virtual_room_or_the_event(
    client, retreat, event_organiser, registration
):
    from rest_framework.test import APIClient

    services.update_event(
        actor=event_organiser,
        event=retreat,
        format="hybrid",
        online_url="https://meet.example.org/whole-event",
    )
    virtual = services.save_room(
        actor=event_organiser,
        event=retreat,
        name="Virtual room A",
        online_url="https://meet.example.org/room-a",
    )
    common = {"actor": event_organiser, "event": retreat, "kind": SessionKind.BREAKOUT}
    in_room, _w = services.save_session(
        title="In the virtual room", starts_at=at(1, 9), ends_at=at(1, 10), room=virtual, **common
    )
    plain, _w = services.save_session(
        title="Without a link", starts_at=at(1, 11), ends_at=at(1, 12), **common
    )
    reserved, _w = services.save_session(
        title="Principals in the virtual room",
        starts_at=at(1, 13),
        ends_at=at(1, 14),
        room=virtual,
        audience=SessionAudience.PRINCIPALS,
        **common,
    )
    pages = {s: url("session", retreat, pk=s.pk) for s in (in_room, plain, reserved)}
    for page in pages.values():
        assert "meet.example.org" not in client.get(page).content.decode()

    client.force_login(registration.user)
    html = client.get(pages[in_room]).content.decode()
    assert 'href="https://meet.example.org/room-a"' in html
    html = client.get(pages[plain]).content.decode()
    assert 'href="https://meet.example.org/whole-event"' in html
    html = client.get(pages[reserved]).content.decode()
    assert "meet.example.org" not in html
    assert "The online link is shown to the participants this session is open to." in html
    for page in ("programme", "programme_grid", "programme_list"):
        assert "meet.example.org" not in client.get(url(page, retreat)).content.decode()

    api = APIClient()
    api.force_authenticate(registration.user)
    sessions = api.get(f"/api/events/{retreat.slug}/sessions/").json()["results"]
    links = {s["title"]: s["online_url"] for s in sessions}
    assert links["In the virtual room"] == "https://meet.example.org/room-a"
    assert links["Without a link"] == "https://meet.example.org/whole-event"
    assert links["Principals in the virtual room"] == ""
    feed = client.get(url("programme_feed", retreat)).content.decode().replace("\r\n ", "")
    # In the URL and the description of the session open to the participant,
    # not in those of the principals' session in the same room.
    assert feed.count("https://meet.example.org/room-a") == 2


def test_places_left_on_the_programme_follow_the_agendas_at_once(
    client, retreat, plenary, registration, principal_registration
):
    page = url("programme", retreat)
    assert "1 place left" in client.get(page).content.decode()
    item = services.add_to_agenda(
        actor=registration.user, registration=registration, session=plenary
    )
    assert "0 places left" in client.get(page).content.decode()
    waiting = services.add_to_agenda(
        actor=principal_registration.user, registration=principal_registration, session=plenary
    )
    assert waiting.status == AgendaStatus.WAITING_LIST
    # The seat passes to the waiting list: still none left.
    services.remove_from_agenda(actor=registration.user, item=item)
    assert "0 places left" in client.get(page).content.decode()
    services.cancel_registration(
        actor=principal_registration.user, registration=principal_registration
    )
    assert "1 place left" in client.get(page).content.decode()
