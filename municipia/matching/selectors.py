"""Reads of matchmaking: engine profiles built from the directory, the engine
itself (loaded per process), suggestions, the swipe deck and matches.

The engine is built from every local and regional government in the directory
(`build_profiles`) and the recorded partnerships. Building it computes the text
vectors of the whole directory, which is never done in a request: the
background task `rebuild_matching_engine` (and the `rebuild_matching` command)
builds it and publishes it as an `EngineSnapshot` file; each process loads the
newest snapshot and keeps it until a newer one is published. The *version
stamp* of the data lives in the shared cache, is dropped by
`services.profile_changed` and recomputed from a few aggregates when missing;
when it differs from the snapshot's, one rebuild is requested and the requests
go on with the snapshot they have.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from municipia.accounts import rules
from municipia.accounts.enums import Role
from municipia.accounts.models import User
from municipia.directory.enums import LOCAL_AND_REGIONAL_GOVERNMENTS, Visibility
from municipia.directory.models import Challenge, Expertise, Organisation
from municipia.directory.selectors import visible_organisations
from municipia.directory.text import decode_codes
from municipia.taxonomy.models import Theme

from .countries import COUNTRY_GROUPS
from .engine import MatchingEngine, OrganisationProfile, Reason, SearchPreferences
from .engine import snapshot as snapshot_file
from .engine.tagging import suggest_themes
from .engine.text import make_backend
from .exposure import recent_exposure, record_shown
from .models import EngineSnapshot, Match, ScoringModelVersion, Swipe

logger = logging.getLogger(__name__)

# Auto-tagging gives an untagged statement at most this many working groups.
AUTO_THEMES_PER_STATEMENT = 2

STAMP_KEY = "matching:engine-stamp"
# Partnerships recorded elsewhere reach the engine within this many seconds even
# when nobody calls `profile_changed`.
STAMP_TIMEOUT = 300
# When a rebuild was last asked for: until a snapshot of data read after that
# time is published, the requests that notice stale data do not queue another
# one each; it expires in case a worker died (longer than a semantic build).
REBUILD_PENDING_KEY = "matching:rebuild-pending"
REBUILD_PENDING_TIMEOUT = 45 * 60
# The newest snapshot as last read; processes look for a newer one this often at
# least (at once where the cache is shared with the worker that publishes it).
SNAPSHOT_KEY = "matching:snapshot"
SNAPSHOT_CHECK_SECONDS = 30


@dataclass(frozen=True)
class _Held:
    name: str
    data_read_at: datetime
    engine: MatchingEngine


_engine_lock = threading.Lock()
# Only one thread of a process reads a snapshot file at a time (a file of
# 100,000 organisations takes seconds and half a gigabyte).
_read_lock = threading.Lock()
# The engine this process serves, with the snapshot it was loaded from.
_engine: _Held | None = None
# The snapshot being read in a background thread, and those that cannot be read.
_reader: threading.Thread | None = None
_unusable: set[str] = set()


def _statement_texts(model) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = defaultdict(list)
    rows = model.objects.order_by("organisation_id", "position", "pk").values_list(
        "organisation_id", "title", "text"
    )
    for organisation_id, title, text in rows:
        texts[organisation_id].append(f"{title}. {text}".strip())
    return texts


def _statement_tags(model) -> tuple[dict[int, set[str]], dict[int, set[int]]]:
    owner = model.themes.through
    statement_field = model._meta.model_name
    themes: dict[int, set[str]] = defaultdict(set)
    for organisation_id, code in owner.objects.values_list(
        f"{statement_field}__organisation_id", "theme__code"
    ):
        themes[organisation_id].add(code)
    sdgs: dict[int, set[int]] = defaultdict(set)
    for organisation_id, number in model.sdgs.through.objects.values_list(
        f"{statement_field}__organisation_id", "sustainabledevelopmentgoal__number"
    ):
        sdgs[organisation_id].add(number)
    return themes, sdgs


def _themes_of_untagged_statements(model) -> dict[int, set[str]]:
    """Working groups suggested by auto-tagging for the challenges (or offers of
    expertise) their authors gave no theme: how two organisations writing in
    different languages still meet through their themes."""
    suggested: dict[int, set[str]] = defaultdict(set)
    rows = model.objects.filter(themes__isnull=True).values_list("organisation_id", "title", "text")
    for organisation_id, title, text in rows.order_by():
        for suggestion in suggest_themes(f"{title}. {text}", limit=AUTO_THEMES_PER_STATEMENT):
            suggested[organisation_id].add(suggestion.code)
    return suggested


def build_profiles() -> list[OrganisationProfile]:
    """Engine profiles of every local and regional government in the directory.

    Challenges and expertise become "title. text"; themes and SDGs are those of
    both (for a statement without any theme, the themes auto-tagging finds in
    its text); networks are the national associations it belongs to. Organisations
    that are not looking for partners or whose profile is hidden stay in (they
    may search themselves) but are never suggested."""
    challenges = _statement_texts(Challenge)
    expertise = _statement_texts(Expertise)
    themes, sdgs = _statement_tags(Challenge)
    for tags, more in zip((themes, sdgs), _statement_tags(Expertise), strict=True):
        for organisation_id, values in more.items():
            tags[organisation_id] |= values
    known_themes = set(Theme.objects.values_list("code", flat=True))
    for model in (Challenge, Expertise):
        for organisation_id, codes in _themes_of_untagged_statements(model).items():
            themes[organisation_id] |= codes & known_themes
    networks: dict[int, set[str]] = defaultdict(set)
    for organisation_id, association_id in Organisation.member_of.through.objects.values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        networks[organisation_id].add(str(association_id))
    rows = (
        Organisation.objects.filter(kind__in=LOCAL_AND_REGIONAL_GOVERNMENTS)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "country",
            "latitude",
            "longitude",
            "population",
            "kind",
            "working_languages",
            "partnership_interests",
            "is_looking_for_partners",
            "visibility",
        )
    )
    return [
        OrganisationProfile(
            id=str(pk),
            name=name,
            country=country,
            latitude=latitude,
            longitude=longitude,
            population=population,
            kind=kind,
            languages=frozenset(decode_codes(languages)),
            interests=frozenset(decode_codes(interests)),
            themes=frozenset(themes.get(pk, ())),
            sdgs=frozenset(sdgs.get(pk, ())),
            challenges=tuple(challenges.get(pk, ())),
            expertise=tuple(expertise.get(pk, ())),
            networks=frozenset(networks.get(pk, ())),
            looking_for_partners=looking and visibility != Visibility.HIDDEN,
        )
        for (
            pk,
            name,
            country,
            latitude,
            longitude,
            population,
            kind,
            languages,
            interests,
            looking,
            visibility,
        ) in rows
    ]


def theme_parents() -> dict[str, str]:
    """Working group code → impact community code, from the taxonomy."""
    return dict(
        Theme.objects.filter(parent__isnull=False).values_list("code", "parent__code").order_by()
    )


def partnership_pairs() -> list[tuple[int, int]]:
    """Recorded partnerships that are not ended, from the partnerships app when
    it is installed (the engine then never suggests current partners)."""
    if not apps.is_installed("municipia.partnerships"):  # optional for the engine
        return []
    from municipia.partnerships.selectors import partnership_pairs as recorded

    return list(recorded())


def _data_stamp() -> str:
    """A version of the data the engine depends on, from a few aggregates:
    changes when an organisation, challenge, expertise, partnership or network
    membership is added, changed or removed, and when another scoring model
    or text backend is chosen."""
    models = [Organisation, Challenge, Expertise]
    if apps.is_installed("municipia.partnerships"):  # optional for the engine
        models.append(apps.get_model("partnerships", "Partnership"))
    parts = []
    for model in models:
        figures = model.objects.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
        parts.append(f"{figures['n']}@{figures['last']}")
    # Memberships have no time stamp: a removal lowers the count, an addition
    # raises the newest id.
    figures = Organisation.member_of.through.objects.order_by().aggregate(
        n=Count("pk"), last=Max("pk")
    )
    parts.append(f"{figures['n']}#{figures['last']}")
    # How the engine scores is part of its version too.
    active = ScoringModelVersion.objects.filter(is_active=True).values_list("version", flat=True)
    parts.append(active.first() or "hand-set")
    parts.append(f"{settings.MATCHING_TEXT_BACKEND}:{settings.MATCHING_TEXT_MODEL or ''}")
    return "|".join(parts)


def engine_stamp() -> str:
    """The version stamp of the current data, from the cache when known."""
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = _data_stamp()
        cache.set(STAMP_KEY, stamp, STAMP_TIMEOUT)
    return stamp


def fresh_engine_stamp() -> str:
    """The version stamp read from the database now (and shared in the cache)."""
    stamp = _data_stamp()
    cache.set(STAMP_KEY, stamp, STAMP_TIMEOUT)
    return stamp


def build_engine() -> MatchingEngine:
    """A new engine from the directory and the recorded partnerships (slow: the
    background task's work, not a request's)."""
    from .services import active_scoring_model

    return MatchingEngine(
        build_profiles(),
        [(str(a), str(b)) for a, b in partnership_pairs()],
        backend=make_backend(settings.MATCHING_TEXT_BACKEND, model=settings.MATCHING_TEXT_MODEL),
        model=active_scoring_model(),
        theme_parents=theme_parents(),
        country_groups=COUNTRY_GROUPS,
    )


def latest_snapshot(*, cached: bool = True) -> EngineSnapshot | None:
    """The newest engine published by this release, by when its data were read
    (from the shared cache for up to SNAPSHOT_CHECK_SECONDS: a request costs no
    query for it)."""
    snapshot = cache.get(SNAPSHOT_KEY) if cached else None
    if snapshot is None:
        snapshot = (
            EngineSnapshot.objects.filter(engine_version=snapshot_file.engine_version())
            .order_by("-data_read_at", "-pk")
            .first()
        )
        if snapshot is not None:
            cache.set(SNAPSHOT_KEY, snapshot, SNAPSHOT_CHECK_SECONDS)
    return snapshot


def _held_engine() -> MatchingEngine | None:
    with _engine_lock:
        return _engine.engine if _engine is not None else None


def hold_engine(snapshot: EngineSnapshot, engine: MatchingEngine) -> None:
    """Serve `engine` (published as `snapshot`) in this process from now on,
    unless the process already serves a newer one."""
    global _engine
    with _engine_lock:
        if _engine is not None and _engine.data_read_at > snapshot.data_read_at:
            return
        _engine = _Held(snapshot.name, snapshot.data_read_at, engine)


def _read_snapshot(snapshot: EngineSnapshot) -> MatchingEngine | None:
    with _read_lock:
        with _engine_lock:
            if _engine is not None and _engine.name == snapshot.name:
                return _engine.engine  # read by another thread meanwhile
            if snapshot.name in _unusable:
                return None
        try:
            with storages["matching"].open(snapshot.name, "rb") as handle:
                engine = snapshot_file.load(handle, sha256=snapshot.sha256)
        except Exception:  # missing, damaged, tampered with or another release's
            logger.exception("Matching engine snapshot %s cannot be used", snapshot.name)
            with _engine_lock:
                _unusable.add(snapshot.name)
            return None
        # Held before the next waiting thread looks, so that it does not read again.
        hold_engine(snapshot, engine)
    return engine


def _read_in_background(snapshot: EngineSnapshot) -> None:
    global _reader
    try:
        _read_snapshot(snapshot)
    finally:
        with _engine_lock:
            _reader = None


def _load_snapshot(snapshot: EngineSnapshot) -> MatchingEngine | None:
    """The snapshot's engine. A process that already serves an engine reads a
    newer snapshot in a thread (one at a time) and goes on serving the one it
    has meanwhile. None when the snapshot cannot be used and this process has
    nothing to serve."""
    global _reader
    with _engine_lock:
        held = _engine
        if held is not None and held.name == snapshot.name:
            return held.engine
        if snapshot.name in _unusable:
            return None
        if held is not None:
            if _reader is None and snapshot.data_read_at > held.data_read_at:
                _reader = threading.Thread(
                    target=_read_in_background,
                    args=(snapshot,),
                    name="matching-snapshot-reader",
                    daemon=True,
                )
                _reader.start()
            return held.engine
    return _read_snapshot(snapshot)


def request_rebuild() -> bool:
    """Queue one rebuild of the engine unless one asked for earlier has not yet
    published a snapshot; True when one was queued. (With the immediate tasks
    backend of tests and a bare runserver, it runs here.)

    The marker is the time of the request, not a flag the worker clears: with
    a cache per process (the demo's), the worker could not clear it here."""
    asked_at = cache.get(REBUILD_PENDING_KEY)
    if asked_at is not None:
        newest = latest_snapshot(cached=False)
        if newest is None or newest.data_read_at < asked_at:
            return False
    asked_at = timezone.now()
    from .tasks import rebuild_matching_engine

    try:
        rebuild_matching_engine.enqueue()
    except Exception:  # a page that reads suggestions must not fail for it
        logger.exception("The rebuild of the matching engine could not be queued")
        return False
    cache.set(REBUILD_PENDING_KEY, asked_at, REBUILD_PENDING_TIMEOUT)
    return True


def _up_to_date(snapshot: EngineSnapshot | None) -> bool:
    return (
        snapshot is not None and snapshot.stamp == engine_stamp() and snapshot.name not in _unusable
    )


def current_engine(*, rebuild: bool = False) -> MatchingEngine:
    """The engine to serve: the newest published snapshot's.

    When the data changed since that snapshot (or none exists, or it cannot be
    read), a rebuild is requested and the engine this process already has
    goes on serving meanwhile: an empty one only before the very first
    snapshot. `rebuild` builds and publishes one now instead (commands, tests)."""
    if rebuild:
        from .services import rebuild_engine

        rebuild_engine()
        return _held_engine()
    snapshot = latest_snapshot()
    if not _up_to_date(snapshot):
        # The cached name may be behind what the worker published meanwhile.
        snapshot = latest_snapshot(cached=False)
    engine = _load_snapshot(snapshot) if snapshot is not None else None
    if (engine is None or not _up_to_date(snapshot)) and request_rebuild():
        # The immediate tasks backend has published one already.
        newer = latest_snapshot(cached=False)
        if newer is not None and (snapshot is None or newer.name != snapshot.name):
            engine = _load_snapshot(newer) or engine
    if engine is None:
        engine = _held_engine() if snapshot is not None else None
    return engine if engine is not None else _empty_engine()


@lru_cache(maxsize=1)
def _empty_engine() -> MatchingEngine:
    """What requests get before the very first snapshot: nobody to suggest."""
    return MatchingEngine([])


def forget_engine() -> None:
    """Drop this process's engine, the shared stamp and the rebuild request
    (tests, data resets)."""
    global _engine
    with _engine_lock:
        reader = _reader
    if reader is not None:
        reader.join()
    with _engine_lock:
        _engine = None
        _unusable.clear()
    cache.delete_many([STAMP_KEY, REBUILD_PENDING_KEY, SNAPSHOT_KEY])


# -- suggestions -------------------------------------------------------------------


def suggestions_pending(*, organisation: Organisation) -> bool:
    """True when the organisation can have suggestions but the engine served now
    does not know it yet (a new organisation, or no engine published so far):
    the background rebuild will bring it."""
    if organisation.kind not in LOCAL_AND_REGIONAL_GOVERNMENTS:
        return False
    return str(organisation.pk) not in current_engine().index


@dataclass(frozen=True)
class ExplainedSuggestion:
    """A suggested partner, loaded from the directory, with the engine's reasons."""

    organisation: Organisation
    score: float
    reasons: tuple[Reason, ...]


def swiped_candidate_ids(*, organisation: Organisation) -> set[int]:
    swipes = Swipe.objects.filter(organisation=organisation)
    return set(swipes.values_list("candidate_id", flat=True))


def suggestions_for_organisation(
    *,
    organisation: Organisation,
    viewer,
    limit: int = 20,
    preferences: SearchPreferences | None = None,
    exclude_swiped: bool = False,
) -> list[ExplainedSuggestion]:
    """Ranked, explained partner suggestions for `organisation`, as `viewer` may
    see them (candidates whose profile the viewer may not see are left out).

    With `exclude_swiped`, candidates the organisation already liked, passed or
    saved are left out (the swipe deck)."""
    engine = current_engine()
    if str(organisation.pk) not in engine.index:
        return []
    skipped = swiped_candidate_ids(organisation=organisation) if exclude_swiped else set()
    found = engine.suggest(
        str(organisation.pk),
        limit=limit + len(skipped),
        preferences=preferences,
        exposure=recent_exposure(),
    )
    found = [s for s in found if int(s.organisation_id) not in skipped][:limit]
    ids = [int(s.organisation_id) for s in found]
    # Suggestions are for signed-in editors: public and members-only profiles,
    # and hidden ones only for whom may see them (the engine never suggests those).
    loaded = visible_organisations(viewer=viewer).filter(pk__in=ids).in_bulk()
    shown = [
        ExplainedSuggestion(organisation=loaded[pk], score=s.score, reasons=s.reasons)
        for s in found
        if (pk := int(s.organisation_id)) in loaded
    ]
    # The one write of this read: who was shown feeds the exposure damping.
    record_shown(s.organisation.pk for s in shown)
    return shown


def matchable_candidate(*, candidate_id: int) -> Organisation | None:
    """The organisation with this id when it can still be liked: it exists, is a
    local or regional government, is looking for partners and is not hidden."""
    return (
        Organisation.objects.filter(
            pk=candidate_id,
            kind__in=LOCAL_AND_REGIONAL_GOVERNMENTS,
            is_looking_for_partners=True,
        )
        .exclude(visibility=Visibility.HIDDEN)
        .first()
    )


# -- who acts, matches ---------------------------------------------------------------


def organisations_to_act_for(*, user) -> QuerySet[Organisation]:
    """Organisations whose partner search `user` runs: those they edit (staff are
    not listed every organisation; they reach one by its address)."""
    return Organisation.objects.filter(pk__in=rules.editable_organisation_ids(user)).order_by(
        "name", "pk"
    )


def editors_of(*, organisation: Organisation) -> QuerySet[User]:
    """Active admins and editors of the organisation: whom match news is for."""
    return (
        User.objects.filter(
            is_active=True,
            role_grants__organisation=organisation,
            role_grants__role__in=[Role.ORGANISATION_ADMIN, Role.ORGANISATION_EDITOR],
        )
        .distinct()
        .order_by("pk")
    )


def matches_of(*, organisation: Organisation) -> list[tuple[Match, Organisation]]:
    """The organisation's matches, newest first, each with the other organisation."""
    matches = (
        Match.objects.filter(Q(organisation_a=organisation) | Q(organisation_b=organisation))
        .select_related("organisation_a", "organisation_b")
        .order_by("-created_at", "-pk")
    )
    return [
        (
            match,
            match.organisation_b
            if match.organisation_a_id == organisation.pk
            else match.organisation_a,
        )
        for match in matches
    ]


def saved_candidates(*, organisation: Organisation) -> QuerySet[Organisation]:
    """Candidates the organisation saved for later, most recent first."""
    return Organisation.objects.filter(
        swipes_received__organisation=organisation, swipes_received__decision="save"
    ).order_by("-swipes_received__updated_at", "pk")


def match_between(*, organisation: Organisation, other: Organisation) -> Match | None:
    low, high = sorted((organisation.pk, other.pk))
    return Match.objects.filter(organisation_a_id=low, organisation_b_id=high).first()


def conversation_urls(*, matches) -> dict[int, str]:
    """Match id → address of the conversation between its two organisations,
    when the partnerships app keeps one (one query for all matches)."""
    if not apps.is_installed("municipia.partnerships"):  # matches work without it
        return {}
    conversation_model = apps.get_model("partnerships", "Conversation")
    matches = list(matches)
    if not matches:
        return {}
    pairs = Q()
    for match in matches:
        pairs |= Q(organisation_a=match.organisation_a_id, organisation_b=match.organisation_b_id)
    by_pair = {
        (c.organisation_a_id, c.organisation_b_id): c.get_absolute_url()
        for c in conversation_model.objects.filter(pairs).only(
            "pk", "organisation_a_id", "organisation_b_id"
        )
    }
    return {
        m.pk: by_pair[(m.organisation_a_id, m.organisation_b_id)]
        for m in matches
        if (m.organisation_a_id, m.organisation_b_id) in by_pair
    }


def swipe_outcomes() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every recorded like and pass as (organisation id, candidate id) pairs of
    engine ids: what the scoring model learns from besides partnerships (a
    match is two likes)."""
    likes, passes = [], []
    rows = Swipe.objects.filter(decision__in=["like", "pass"]).order_by("pk")
    for organisation_id, candidate_id, decision in rows.values_list(
        "organisation_id", "candidate_id", "decision"
    ):
        (likes if decision == "like" else passes).append((str(organisation_id), str(candidate_id)))
    return likes, passes
