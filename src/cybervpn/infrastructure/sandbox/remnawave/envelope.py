"""The panel's success envelope: every JSON answer is `{"response": ...}`."""

from typing import Any

from fastapi.responses import JSONResponse

ACCEPTED = 202  # the panel's answer to work it does in the background
NO_CONTENT = 204


def ok(payload: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"response": payload}, status_code=status)
