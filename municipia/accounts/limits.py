"""Per-user rate limits for actions (swipes, messages), counted in the shared cache
so that every application server sees the same count."""

from django.core.cache import cache


def over_rate_limit(*, action: str, user, limit: int, window: int) -> bool:
    """Count one `action` by `user` in a fixed window of `window` seconds (the first
    action opens it); True once the count passes `limit`."""
    key = f"rate:{action}:{user.pk}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
