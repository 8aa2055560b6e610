"""Engines are built by the background task and published as snapshots that
web processes load: a request never computes the directory's text vectors."""

import io
import os
import pickle
import time

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from municipia.directory import services as directory_services
from municipia.matching import selectors, services
from municipia.matching.engine import MatchingEngine
from municipia.matching.engine import snapshot as snapshot_file
from municipia.matching.models import EngineSnapshot
from municipia.matching.tasks import rebuild_matching_engine

from .conftest import make_editor, make_lrg


@pytest.fixture(autouse=True)
def _snapshots_on_disk(settings, tmp_path):
    # The production storage class, in a directory of the test's own.
    settings.STORAGES = {
        **settings.STORAGES,
        "matching": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "matching")},
        },
    }


def _new_web_process():
    """What a freshly started web process knows: nothing held in memory (the
    shared cache and the database stay)."""
    selectors._engine = None
    selectors._unusable.clear()


def _publish_from_the_worker():
    """What the task worker does, seen from a web process: a newer snapshot
    appears, and this process's cache still names the previous one."""
    cached = selectors.latest_snapshot()
    rebuild_matching_engine.call()
    if cached is not None:
        cache.set(selectors.SNAPSHOT_KEY, cached, selectors.SNAPSHOT_CHECK_SECONDS)
    return EngineSnapshot.objects.latest()


def _join_reader():
    reader = selectors._reader
    if reader is not None:
        reader.join(timeout=30)


@pytest.fixture
def no_building(monkeypatch):
    """Fails the test if anything builds an engine (computes text vectors)."""

    def refuse():
        raise AssertionError("the engine was built where it must only be loaded")

    monkeypatch.setattr(selectors, "build_engine", refuse)


@pytest.fixture
def queued_tasks(settings):
    """The database task queue of the demo and production, with no worker running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_rebuild_publishes_a_snapshot_with_its_figures(places):
    count = services.rebuild_engine()
    snapshot = EngineSnapshot.objects.get()
    assert count == snapshot.organisations == 4
    assert snapshot.backend == "lexical"
    assert snapshot.stamp == selectors.engine_stamp()
    assert snapshot.size_bytes > 0 and snapshot.build_seconds >= 0
    assert storages["matching"].size(snapshot.name) == snapshot.size_bytes


def test_a_web_process_loads_the_published_engine_without_building_it(
    places, monkeypatch, django_assert_num_queries
):
    services.rebuild_engine()
    built = selectors.current_engine()
    _new_web_process()

    monkeypatch.setattr(selectors, "build_engine", lambda: pytest.fail("built in the request"))
    loaded = selectors.current_engine()
    assert loaded is not built
    assert [p.id for p in loaded.profiles] == [p.id for p in built.profiles]
    tartu = str(places["tartu"].pk)
    assert [s.organisation_id for s in loaded.suggest(tartu)] == [
        s.organisation_id for s in built.suggest(tartu)
    ]
    # Loaded once: later requests reuse it, with no query for the snapshot.
    with django_assert_num_queries(0):
        assert selectors.current_engine() is loaded


def test_a_change_is_served_from_the_previous_engine_until_the_worker_publishes(
    places, queued_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    services.rebuild_engine()
    before = selectors.current_engine()
    monkeypatch.setattr(selectors, "build_engine", lambda: pytest.fail("built in the request"))

    editor = make_editor("riga@example.org", places["riga"])
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_organisation_profile(
            actor=editor, organisation=places["riga"], population=610000
        )
    # The requests go on with the engine they have, and only one rebuild is queued
    # however many requests notice the change.
    for _ in range(3):
        assert selectors.current_engine() is before
    queued = DBTaskResult.objects.filter(task_path=rebuild_matching_engine.module_path)
    assert queued.count() == 1

    monkeypatch.undo()  # the worker builds
    rebuild_matching_engine.call()
    _new_web_process()
    after = selectors.current_engine()
    assert after is not before
    riga = after.profiles[after.index[str(places["riga"].pk)]]
    assert riga.population == 610000
    assert EngineSnapshot.objects.count() == 2

    # The worker cannot clear this process's marker (the demo's caches are per
    # process): a snapshot newer than the request is what lets the next one through.
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.update_organisation_profile(
            actor=editor, organisation=places["riga"], population=620000
        )
    assert selectors.current_engine() is after
    assert queued.count() == 2


def test_before_the_first_snapshot_requests_get_an_empty_engine_and_queue_one(
    places, queued_tasks, no_building
):
    editor = make_editor("tartu@example.org", places["tartu"])
    engine = selectors.current_engine()
    assert engine.profiles == []
    assert selectors.suggestions_for_organisation(organisation=places["tartu"], viewer=editor) == []
    assert DBTaskResult.objects.count() == 1


def test_a_file_that_is_not_the_one_published_is_never_unpickled(places, caplog, monkeypatch):
    services.rebuild_engine()
    snapshot = EngineSnapshot.objects.get()
    storage = storages["matching"]
    storage.delete(snapshot.name)
    # A valid pickle, even of a real engine, is refused when its hash differs.
    planted = io.BytesIO()
    pickle.dump({"format": snapshot_file.FORMAT, "engine": snapshot_file.engine_version()}, planted)
    pickle.dump(MatchingEngine([]), planted)
    storage.save(snapshot.name, ContentFile(planted.getvalue()))
    _new_web_process()
    monkeypatch.setattr(pickle, "load", lambda *a, **k: pytest.fail("unpickled"))

    engine = selectors.current_engine()  # the tests' immediate backend rebuilds here
    monkeypatch.undo()
    assert len(engine.profiles) == 4
    assert "is not the one municipia wrote" in caplog.text
    assert EngineSnapshot.objects.latest().name != snapshot.name


@pytest.mark.parametrize(
    "content", [b"\x80\x09 unsupported protocol", b"not a pickle", b""], ids=str
)
def test_a_damaged_snapshot_is_replaced_and_never_read_again(places, caplog, content):
    services.rebuild_engine()
    served = selectors.current_engine()
    # The worker publishes a damaged file (its hash recorded as written).
    damaged = EngineSnapshot.objects.create(
        name="engine-damaged.pickle",
        stamp=selectors.engine_stamp(),
        data_read_at=timezone.now(),
        organisations=4,
        size_bytes=len(content),
        build_seconds=0,
        backend="lexical",
        engine_version=snapshot_file.engine_version(),
        sha256=snapshot_file.file_sha256(io.BytesIO(content)),
    )
    storages["matching"].save(damaged.name, ContentFile(content))
    cache.delete(selectors.SNAPSHOT_KEY)

    # A process that serves an engine reads it in the background, fails once,
    # logs why, and a rebuild replaces it.
    assert selectors.current_engine() is served
    _join_reader()
    assert damaged.name in selectors._unusable
    assert "cannot be used" in caplog.text
    engine = selectors.current_engine()
    assert EngineSnapshot.objects.latest().name != damaged.name
    assert len(engine.profiles) == 4
    for _ in range(3):
        selectors.current_engine()
        assert selectors._reader is None or not selectors._reader.is_alive()


def test_an_older_engine_never_replaces_a_newer_one(places):
    services.rebuild_engine()
    older = EngineSnapshot.objects.get()
    older_engine = selectors.current_engine()
    services.rebuild_engine()
    newer_engine = selectors.current_engine()
    assert newer_engine is not older_engine
    # A reader of the older snapshot finishing late changes nothing.
    selectors.hold_engine(older, older_engine)
    assert selectors.current_engine() is newer_engine


def test_a_newer_snapshot_does_not_queue_a_rebuild_when_the_cache_is_behind(places, queued_tasks):
    services.rebuild_engine()
    selectors.current_engine()
    make_lrg("Tallinn", "EE", population=450000, latitude=59.44, longitude=24.75)
    services.profile_changed()  # in the web process: the stamp is dropped
    newer = _publish_from_the_worker()
    DBTaskResult.objects.all().delete()

    engine = selectors.current_engine()
    _join_reader()
    assert not DBTaskResult.objects.exists()  # the data are published already
    assert selectors.current_engine() is not engine
    assert selectors._engine.name == newer.name


def test_snapshots_of_another_release_are_not_read(places, queued_tasks):
    services.rebuild_engine()
    ours = EngineSnapshot.objects.get()
    other = EngineSnapshot.objects.create(
        name="engine-other-release.pickle",
        stamp=ours.stamp,
        data_read_at=timezone.now(),
        organisations=4,
        size_bytes=1,
        build_seconds=0,
        backend="lexical",
        engine_version="another release",
        sha256="0" * 64,
    )
    cache.delete(selectors.SNAPSHOT_KEY)
    assert selectors.latest_snapshot() == ours
    assert other.name not in selectors._unusable


def test_old_snapshots_are_removed_with_their_files(places):
    for _ in range(4):
        services.rebuild_engine()
    kept = list(EngineSnapshot.objects.values_list("name", flat=True))
    assert len(kept) == services.KEEP_SNAPSHOTS
    storage = storages["matching"]
    assert all(storage.exists(name) for name in kept)
    assert sorted(storage.listdir("")[1]) == sorted(kept)


def test_another_scoring_model_makes_the_snapshot_stale(places):
    services.rebuild_engine()
    stamp = EngineSnapshot.objects.get().stamp
    services.store_scoring_model(model=selectors.current_engine().model, activate=True)
    assert selectors.engine_stamp() != stamp


def test_a_process_serving_an_engine_reads_a_newer_snapshot_in_the_background(places):
    services.rebuild_engine()
    served = selectors.current_engine()
    # The worker (another process) publishes a newer snapshot.
    make_lrg("Tallinn", "EE", population=450000, latitude=59.44, longitude=24.75)
    worker_engine = selectors.build_engine()
    services.publish_engine(
        worker_engine,
        stamp=selectors.fresh_engine_stamp(),
        data_read_at=timezone.now(),
        build_seconds=1.0,
    )
    assert selectors.current_engine() is served  # no request waits for the file
    _join_reader()
    loaded = selectors.current_engine()
    assert loaded is not served and loaded is not worker_engine
    assert "Tallinn" in {p.name for p in loaded.profiles}


def test_a_snapshot_of_another_engine_version_is_refused():
    engine = MatchingEngine([])
    handle = io.BytesIO()
    sha256 = snapshot_file.dump(engine, handle)
    assert isinstance(snapshot_file.load(handle, sha256=sha256), MatchingEngine)

    other = io.BytesIO()
    pickle.dump({"format": snapshot_file.FORMAT, "engine": "another release"}, other)
    pickle.dump(engine, other)
    other.seek(0)
    with pytest.raises(snapshot_file.IncompatibleSnapshot, match="another version"):
        snapshot_file.load(other, sha256=snapshot_file.file_sha256(other))
    garbage = io.BytesIO(b"garbage")
    with pytest.raises(snapshot_file.IncompatibleSnapshot, match="unreadable"):
        snapshot_file.load(garbage, sha256=snapshot_file.file_sha256(garbage))


def test_a_new_organisation_reaches_the_suggestions_through_the_rebuild(places):
    editor = make_editor("tartu@example.org", places["tartu"])
    selectors.current_engine()
    make_lrg("Tallinn", "EE", population=450000, latitude=59.44, longitude=24.75)
    services.profile_changed()
    names = [
        s.organisation.name
        for s in selectors.suggestions_for_organisation(organisation=places["tartu"], viewer=editor)
    ]
    assert "Tallinn" in names


@pytest.mark.parametrize("model", ["enginesnapshot", "scoringmodelversion", "swipe", "match"])
def test_staff_see_matchmaking_records_read_only(places, admin_client, model):
    services.rebuild_engine()
    listing = admin_client.get(f"/en/admin/matching/{model}/")
    assert listing.status_code == 200
    assert admin_client.get(f"/en/admin/matching/{model}/add/").status_code == 403


def test_pages_say_when_suggestions_are_being_prepared(places, client, queued_tasks):
    editor = make_editor("tartu@example.org", places["tartu"])
    client.force_login(editor)
    pages = [f"/en/matching/{places['tartu'].slug}/", f"/en/matching/{places['tartu'].slug}/deck/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert "are being prepared" in response.text

    rebuild_matching_engine.call()
    selectors.forget_engine()
    for page in pages:
        response = client.get(page)
        assert "are being prepared" not in response.text
        assert "Riga" in response.text


def test_files_no_snapshot_names_are_removed_once_old(places):
    storage = storages["matching"]
    services.rebuild_engine()
    stale = storage.save("engine-20260101-000000-orphan.pickle", ContentFile(b"left over"))
    fresh = storage.save("engine-20260101-000001-being-recorded.pickle", ContentFile(b"new"))
    other = storage.save("notes.txt", ContentFile(b"not ours"))
    hours_ago = time.time() - 2 * 3600
    os.utime(storage.path(stale), (hours_ago, hours_ago))

    services.rebuild_engine()
    assert not storage.exists(stale)
    assert storage.exists(fresh)  # might be a file another worker is recording
    assert storage.exists(other)
    for name in EngineSnapshot.objects.values_list("name", flat=True):
        assert storage.exists(name)


def test_the_stamp_follows_partnerships_and_memberships(places, association):
    from municipia.partnerships import services as partnership_services

    stamps = [selectors.fresh_engine_stamp()]
    partnership = partnership_services.record_partnership(
        actor=None, organisation=places["riga"], partner=places["tartu"], kind="thematic"
    )
    stamps.append(selectors.fresh_engine_stamp())
    partnership_services.update_partnership_status(
        actor=None, partnership=partnership, status="ended"
    )
    stamps.append(selectors.fresh_engine_stamp())
    places["lyon"].member_of.add(association)
    stamps.append(selectors.fresh_engine_stamp())
    places["espoo"].member_of.add(association)
    stamps.append(selectors.fresh_engine_stamp())
    places["lyon"].member_of.remove(association)
    stamps.append(selectors.fresh_engine_stamp())
    assert len(set(stamps)) == len(stamps)
