"""Writes of matchmaking: swipes, matches, the engine's rebuild and its scoring
model versions.

`swipe` asks `municipia.accounts.rules.can_swipe_for` whether the actor may act
for the organisation and raises PermissionDenied or a ValidationError whose
`message_dict` maps fields to messages, like the directory's services.
"""

from __future__ import annotations

import datetime
import tempfile
import time
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts import rules
from municipia.accounts.limits import over_rate_limit
from municipia.directory.models import Organisation
from municipia.notifications.services import notify

from . import selectors
from .engine import MatchingEngine, ScoringModel
from .engine import snapshot as snapshot_file
from .engine.evaluation import fit_with_evaluation
from .enums import SwipeDecision
from .models import EngineSnapshot, Match, ScoringModelVersion, Swipe

# Swipes per user in a sliding-ish window: generous for a person going through a
# deck, low enough to stop a script from liking the whole directory.
SWIPE_RATE_LIMIT = 120
SWIPE_RATE_WINDOW = 10 * 60
# Published engines kept: the newest is served; the one before it stays
# readable for a process that is loading it at the moment of a switch.
KEEP_SNAPSHOTS = 2
ORPHAN_FILE_AGE = datetime.timedelta(hours=1)


class RateLimited(PermissionDenied):
    """Too many actions in too short a time; try again later."""


@dataclass(frozen=True)
class SwipeResult:
    swipe: Swipe
    match: Match | None
    is_new_match: bool


def _check_rate(actor) -> None:
    if actor is None:
        return
    if over_rate_limit(
        action="swipe", user=actor, limit=SWIPE_RATE_LIMIT, window=SWIPE_RATE_WINDOW
    ):
        raise RateLimited(_("Too many swipes in a short time. Please try again in a few minutes."))


def _candidate_id(candidate) -> int | None:
    if isinstance(candidate, Organisation):
        return candidate.pk
    try:
        return int(candidate)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def swipe(*, actor, organisation: Organisation, candidate, decision: str) -> SwipeResult:
    """Record `organisation`'s decision (like, pass or save) on a candidate
    partner, given as an Organisation or its id.

    Idempotent: the same decision again changes nothing; another decision
    replaces the previous one. A like answered by a like from the other side is
    a match: it is stored once, a conversation between the two is opened and
    the editors of both organisations are notified. Refused with a
    ValidationError when the candidate no longer exists, no longer looks for
    partners, or is the organisation itself."""
    if actor is not None and not rules.can_swipe_for(actor, organisation):
        raise PermissionDenied(_("You may not look for partners for this organisation."))
    if decision not in SwipeDecision.values:
        raise ValidationError({"decision": [_("Choose like, pass or save.")]})
    candidate_id = _candidate_id(candidate)
    if candidate_id == organisation.pk:
        raise ValidationError({"candidate": [_("An organisation cannot partner with itself.")]})
    found = None
    if candidate_id is not None:
        found = selectors.matchable_candidate(candidate_id=candidate_id)
    if found is None:
        raise ValidationError(
            {"candidate": [_("This organisation is no longer looking for partners.")]}
        )
    _check_rate(actor)

    record = (
        Swipe.objects.select_for_update().filter(organisation=organisation, candidate=found).first()
    )
    if record is None:
        try:
            with transaction.atomic():
                record = Swipe.objects.create(
                    organisation=organisation, candidate=found, decision=decision, by=actor
                )
        except IntegrityError:  # the same swipe sent twice at once
            record = Swipe.objects.get(organisation=organisation, candidate=found)
    if record.decision != decision:
        record.decision = decision
        record.by = actor
        record.save(update_fields=["decision", "by", "updated_at"])

    match, is_new = None, False
    if decision == SwipeDecision.LIKE:
        liked_back = Swipe.objects.filter(
            organisation=found, candidate=organisation, decision=SwipeDecision.LIKE
        ).exists()
        if liked_back:
            match, is_new = _record_match(organisation, found)
    return SwipeResult(swipe=record, match=match, is_new_match=is_new)


def _record_match(first: Organisation, second: Organisation) -> tuple[Match, bool]:
    low, high = sorted((first, second), key=lambda o: o.pk)
    # get_or_create also survives both sides liking at the same moment.
    match, created = Match.objects.get_or_create(organisation_a=low, organisation_b=high)
    if not created:
        return match, False
    _open_conversation(match, low, high)
    for organisation, other in ((low, high), (high, low)):
        _notify_match(organisation, other)
    return match, True


def _open_conversation(match: Match, low: Organisation, high: Organisation) -> None:
    if not apps.is_installed("municipia.partnerships"):  # then a match has no thread
        return
    from municipia.partnerships.services import open_conversation

    open_conversation(organisations=(low, high), match=match)


def _notify_match(organisation: Organisation, other: Organisation) -> None:
    for user in selectors.editors_of(organisation=organisation):
        notify(
            recipient=user,
            kind="matching.match",
            title=lambda: _("New match: %(name)s") % {"name": other.name},
            body=lambda: (
                _(
                    "%(name)s and %(own)s both want to work together. "
                    "You can now write to each other."
                )
                % {"name": other.name, "own": organisation.name}
            ),
            url=lambda: reverse("matching:matches", kwargs={"slug": organisation.slug}),
        )


# -- the engine ---------------------------------------------------------------------


def profile_changed(*, organisation_id: int | None = None) -> None:
    """Tell matchmaking that a profile, challenge, expertise or partnership
    changed: the engine's stamp is dropped and a rebuild is enqueued."""
    cache.delete(selectors.STAMP_KEY)
    # One rebuild per transaction, however many rows it changed (an import, the
    # demo data), and only once the changes are visible to the task.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _enqueue_rebuild for _sids, callback, *_rest in pending):
        transaction.on_commit(_enqueue_rebuild)


def _enqueue_rebuild() -> None:
    selectors.request_rebuild()


def rebuild_engine(*, hold: bool = True) -> int:
    """Build the engine from the current data and publish it for every
    process; with `hold`, this process serves it too (not the task worker,
    which serves no requests). Returns how many organisations it holds."""
    read_at = timezone.now()
    # The stamp is read before the data: a change made during the build leaves
    # the snapshot stale, and the rebuild that change asked for follows.
    stamp = selectors.fresh_engine_stamp()
    started = time.perf_counter()
    engine = selectors.build_engine()
    seconds = time.perf_counter() - started
    snapshot = publish_engine(engine, stamp=stamp, data_read_at=read_at, build_seconds=seconds)
    if hold:
        selectors.hold_engine(snapshot, engine)
    return len(engine.profiles)


def publish_engine(
    engine: MatchingEngine, *, stamp: str, data_read_at, build_seconds: float
) -> EngineSnapshot:
    """Write the engine to the snapshot storage and record it with its hash;
    older snapshots of this engine version beyond the last KEEP_SNAPSHOTS, and
    those of other versions older than it, are removed with their files."""
    storage = storages["matching"]
    with tempfile.TemporaryFile() as handle:
        sha256 = snapshot_file.dump(engine, handle)
        size = handle.seek(0, 2)
        handle.seek(0)
        name = storage.save(
            f"engine-{data_read_at:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.pickle", File(handle)
        )
    version = snapshot_file.engine_version()
    snapshot = EngineSnapshot.objects.create(
        name=name,
        stamp=stamp,
        data_read_at=data_read_at,
        organisations=len(engine.profiles),
        size_bytes=size,
        build_seconds=round(build_seconds, 3),
        backend=getattr(engine.text_backend, "name", ""),
        scoring_model=engine.model.version or "",
        engine_version=version,
        sha256=sha256,
    )
    same_version = EngineSnapshot.objects.filter(engine_version=version)
    newest = same_version.order_by("-data_read_at", "-pk")[:KEEP_SNAPSHOTS]
    unused = EngineSnapshot.objects.exclude(pk__in=[s.pk for s in newest]).filter(
        Q(engine_version=version) | Q(data_read_at__lt=snapshot.data_read_at)
    )
    for old in unused:
        storage.delete(old.name)
        old.delete()
    _remove_orphan_files(storage)
    cache.delete(selectors.SNAPSHOT_KEY)
    return snapshot


def _remove_orphan_files(storage) -> None:
    """Snapshot files that no row names (a worker stopped between writing the
    file and recording it), once they are old enough not to be one being
    recorded right now."""
    recorded = set(EngineSnapshot.objects.values_list("name", flat=True))
    cutoff = timezone.now() - ORPHAN_FILE_AGE
    _folders, files = storage.listdir("")
    for name in files:
        if not (name.startswith("engine-") and name.endswith(".pickle")) or name in recorded:
            continue
        try:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
        except (NotImplementedError, OSError):  # a storage that cannot tell: keep it
            continue


def active_scoring_model() -> ScoringModel:
    """The active stored scoring model, or the hand-set weights."""
    version = ScoringModelVersion.objects.filter(is_active=True).first()
    if version is None:
        return ScoringModel.default()
    return ScoringModel.from_dict(version.parameters)


@transaction.atomic
def store_scoring_model(*, model: ScoringModel, activate: bool = True) -> ScoringModelVersion:
    """Store a (fitted) scoring model with its evaluation; with `activate` it
    replaces the active one and the engine is rebuilt."""
    version, _created = ScoringModelVersion.objects.update_or_create(
        version=model.version,
        defaults={
            "parameters": model.to_dict(),
            "evaluation": model.evaluation,
            "fitted_at": timezone.now(),
        },
    )
    if activate:
        ScoringModelVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(
            is_active=False
        )
        version.is_active = True
        version.save(update_fields=["is_active", "updated_at"])
        profile_changed()
    return version


def fit_scoring_model(*, seed: int = 0, activate: bool = True) -> ScoringModelVersion:
    """Fit the engine's weights on the recorded partnerships and swipe outcomes,
    evaluate them against the hand-set weights on held-out partnerships, and
    store the version with its figures. It becomes the active one (with
    `activate`) only when there was enough data and it ranked at least as well;
    otherwise the engine keeps what it used (the hand-set weights at first)."""
    engine = selectors.current_engine()
    likes, passes = selectors.swipe_outcomes()
    partnerships = [(str(a), str(b)) for a, b in selectors.partnership_pairs()]
    model = fit_with_evaluation(engine, partnerships, likes=likes, passes=passes, seed=seed)
    return store_scoring_model(model=model, activate=activate and model.evaluation["use"])
