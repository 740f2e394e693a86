"""The panel's success envelope: every JSON answer is `{"response": ...}`."""

from typing import Any

from fastapi.responses import JSONResponse


def ok(payload: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"response": payload}, status_code=status)
