"""Addresses of pages in another interface language."""

from django.conf import settings


def in_language(url: str, language: str | None) -> str:
    """The same page under `language`'s prefix (/en/events/ → /fr/events/); other
    addresses (the API, another site) as they are."""
    if not url.startswith("/") or not language:
        return url
    prefix, _, rest = url.lstrip("/").partition("/")
    languages = dict(settings.LANGUAGES)
    if prefix in languages and language in languages and prefix != language:
        return f"/{language}/{rest}"
    return url
