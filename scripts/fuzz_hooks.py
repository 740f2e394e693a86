"""Schemathesis hooks for scripts/fuzz: sign in as FUZZ_EMAIL, and again whenever
the fuzzer has ended that session itself (logout-all answers 401 from then on)."""

import os
from typing import Any

import httpx
import schemathesis


@schemathesis.auth(refresh_interval=60, retry_on=[401])
class SignIn:
    def get(self, case: Any, context: Any) -> str:
        answer = httpx.post(
            f"{os.environ['FUZZ_BASE']}/api/v1/auth/login",
            json={
                "email": os.environ["FUZZ_EMAIL"],
                "password": os.environ["FUZZ_PASSWORD"],
            },
            timeout=30,
        )
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
