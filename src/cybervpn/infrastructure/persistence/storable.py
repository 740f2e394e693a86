"""Text that PostgreSQL cannot store: refused at the edge, on every backend alike.

PostgreSQL's text and jsonb refuse the NUL character, and an unpaired surrogate
(`"\\ud800"` in JSON) cannot be encoded as UTF-8 at all. SQLite would store either
silently, so the API refuses them on both backends with the same 422.
"""

from typing import Any

REASON = "must not contain NUL characters or unpaired surrogates"


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def is_storable(value: Any) -> bool:
    """True unless `value` is, or holds (in lists, tuples, dicts), unstorable text."""
    if isinstance(value, str):
        return not _bad_text(value)
    if isinstance(value, list | tuple | set | frozenset):
        return all(is_storable(item) for item in value)
    if isinstance(value, dict):
        return all(is_storable(k) and is_storable(v) for k, v in value.items())
    return True
