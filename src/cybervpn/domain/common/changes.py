"""The one shape of a partial update (PATCH) in every context.

A subclass declares each changeable field as optional; `fields_set` names the
fields the caller sent, so "not sent" and "sent as null" stay apart (a null may
mean "clear", where the field allows it).
"""

from dataclasses import dataclass
from typing import cast


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldChanges:
    fields_set: frozenset[str]

    def values(self) -> dict[str, object]:
        """The sent fields and their new values, by name."""
        return {name: getattr(self, name) for name in sorted(self.fields_set)}

    def pick[T](self, name: str, current: T) -> T:
        """The new value of `name` if it was sent, else `current`."""
        return cast(T, getattr(self, name)) if name in self.fields_set else current
