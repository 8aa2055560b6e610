from municipia.matching import selectors
from municipia.matching.checks import text_backend_is_usable


def test_the_default_text_backend_is_lexical_and_passes_the_checks(settings, db):
    assert settings.MATCHING_TEXT_BACKEND == "lexical"
    assert text_backend_is_usable(None) == []
    assert selectors.build_engine()._embedder.backend.name == "lexical"


def test_an_unknown_text_backend_is_a_system_check_error(settings):
    settings.MATCHING_TEXT_BACKEND = "neural"
    assert [error.id for error in text_backend_is_usable(None)] == ["matching.E001"]


def test_a_model_directory_that_does_not_exist_is_a_system_check_error(settings, tmp_path):
    settings.MATCHING_TEXT_BACKEND = "semantic"
    settings.MATCHING_TEXT_MODEL = str(tmp_path / "missing")
    assert "matching.E003" in [error.id for error in text_backend_is_usable(None)]
