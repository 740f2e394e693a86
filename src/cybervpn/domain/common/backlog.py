"""How much work waits, and since when: what operators watch."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Backlog:
    count: int = 0
    oldest: datetime | None = None  # when the longest-waiting item started waiting

    def age_seconds(self, now: datetime) -> float:
        return (
            0.0
            if self.oldest is None
            else max((now - self.oldest).total_seconds(), 0.0)
        )
