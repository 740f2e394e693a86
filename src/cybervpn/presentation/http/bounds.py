"""The limits inputs are checked against: what our columns and the panel hold.

Anything past them is refused at the edge with a 422 naming the field, instead of
reaching PostgreSQL (which would refuse it with an error of its own) or the panel.
"""

from typing import Annotated

from pydantic import Field

INT32_MAX = 2**31 - 1  # INTEGER columns; the panel's ids and counters
INT64_MAX = 2**63 - 1  # BIGINT columns
# Telegram ids have at most 52 significant bits; JSON clients hold them exactly.
TELEGRAM_ID_MAX = 2**53 - 1
MONEY_MAX = 10**10  # exclusive: well inside NUMERIC(18, 2)

TelegramId = Annotated[int, Field(gt=0, le=TELEGRAM_ID_MAX)]
PanelUserId = Annotated[int, Field(gt=0, le=INT32_MAX)]
Count = Annotated[int, Field(ge=1, le=INT32_MAX)]
