"""The ceiling: a bare FastAPI app doing only the minimum each measured endpoint
must do, on the same PostgreSQL, so the product's figures can be read as ratios.

One uvicorn worker (uvloop + httptools), no middleware, no logging:
- `GET /hello`: a fixed body;
- `GET /me`: an HS256 JWT decoded with PyJWT, then one primary-key select on a
  pooled asyncpg connection;
- `POST /login`: a select by e-mail, an Argon2id verification in a thread pool, a
  JWT encoded.

Run by `bench/run.py` (uvicorn bench.ceiling:app); configured from the environment:
CEILING_DATABASE_URL (a postgresql:// DSN), JWT_SECRET, and PASSWORD_HASH_* as the
product reads them.
"""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse, Response

SECRET = os.environ["JWT_SECRET"]
AUDIENCE = os.environ.get("JWT_AUDIENCE", "cybervpn-api")
ISSUER = os.environ.get("JWT_ISSUER", "cybervpn")
HASHER = PasswordHasher(
    time_cost=int(os.environ["PASSWORD_HASH_TIME_COST"]),
    memory_cost=int(os.environ["PASSWORD_HASH_MEMORY_KIB"]),
    parallelism=int(os.environ["PASSWORD_HASH_PARALLELISM"]),
)
# One hashing thread per core, as the product runs them.
HASHING = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
HELLO = b'{"status":"ok"}'
_ME = "SELECT id, email, role, is_active, created_at FROM accounts WHERE id = $1"
_BY_EMAIL = "SELECT id, password_hash FROM accounts WHERE email = $1"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["CEILING_DATABASE_URL"], min_size=5, max_size=20
    )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/hello")
async def hello() -> Response:
    return Response(HELLO, media_type="application/json")


@app.get("/me")
async def me(request: Request, authorization: str = Header()) -> JSONResponse:
    try:
        claims = jwt.decode(
            authorization.removeprefix("Bearer "),
            SECRET,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
        )
    except jwt.PyJWTError:
        raise HTTPException(401) from None
    row = await request.app.state.pool.fetchrow(_ME, UUID(claims["sub"]))
    if row is None:
        raise HTTPException(401)
    return JSONResponse(
        {
            "id": str(row["id"]),
            "email": row["email"],
            "role": row["role"],
            "is_active": row["is_active"],
            "created_at": row["created_at"].isoformat(),
        }
    )


@app.post("/login")
async def login(request: Request) -> JSONResponse:
    body: dict[str, Any] = await request.json()
    row = await request.app.state.pool.fetchrow(_BY_EMAIL, body["email"])
    if row is None:
        raise HTTPException(401)
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(
            HASHING, HASHER.verify, row["password_hash"], body["password"]
        )
    except VerificationError:
        raise HTTPException(401) from None
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": str(row["id"]),
            "sid": str(uuid4()),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 900,
        },
        SECRET,
        algorithm="HS256",
    )
    return JSONResponse({"access_token": token, "token_type": "bearer"})
