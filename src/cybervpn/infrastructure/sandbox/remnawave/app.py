"""The sandbox panel's HTTP API: the same paths, envelopes, codes and errors as the
real panel for every endpoint our client uses."""

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cybervpn.infrastructure.sandbox.remnawave import requests as body
from cybervpn.infrastructure.sandbox.remnawave.devices_routes import devices_router
from cybervpn.infrastructure.sandbox.remnawave.envelope import ACCEPTED, NO_CONTENT, ok
from cybervpn.infrastructure.sandbox.remnawave.records import PanelError, User, iso
from cybervpn.infrastructure.sandbox.remnawave.routing_routes import routing_routers
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState


def create_sandbox_panel(state: PanelState, *, token: str | None = None) -> FastAPI:
    """`token`: when set, requests must carry it as a bearer token, as on the panel."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.panel = state

    @app.middleware("http")
    async def bearer_only(request: Request, call_next: Any) -> Response:
        if state.outage:
            return JSONResponse(
                {"message": "Service Unavailable", "statusCode": 503}, status_code=503
            )
        expected = f"Bearer {token}"
        if token is not None and request.headers.get("authorization") != expected:
            return JSONResponse(
                {"message": "Unauthorized", "statusCode": 401}, status_code=401
            )
        response: Response = await call_next(request)
        emitter = getattr(app.state, "webhook_emitter", None)
        if emitter is not None and state.unsent_webhooks:
            emitter.schedule()
        return response

    @app.exception_handler(PanelError)
    async def panel_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, PanelError)  # noqa: S101
        return JSONResponse(
            {
                "timestamp": iso(state.now()),
                "path": request.url.path,
                "message": error.message,
                "errorCode": error.code,
            },
            status_code=error.status,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)  # noqa: S101
        issues = [
            {"code": e["type"], "path": list(e["loc"][1:]), "message": e["msg"]}
            for e in error.errors()
        ]
        return JSONResponse(
            {"statusCode": 400, "message": "Validation failed", "errors": issues},
            status_code=400,
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)  # noqa: S101
        return JSONResponse(
            {
                "message": f"Cannot {request.method} {request.url.path}",
                "error": "Not Found",
                "statusCode": error.status_code,
            },
            status_code=error.status_code,
        )

    app.include_router(_users(state))
    app.include_router(_nodes(state))
    app.include_router(_system(state))
    app.include_router(devices_router(state))
    for router in routing_routers(state):
        app.include_router(router)
    return app


def _user_values(data: body.CreateUser | body.UpdateUser) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, exclude={"id", "username"})
    if "active_internal_squads" in values:
        squads = values.pop("active_internal_squads") or []
        values["squads"] = [str(s) for s in squads]
    return values


def _users(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/users")

    def matches(
        user: User, filters: list[dict[str, Any]], modes: dict[str, str]
    ) -> bool:
        snapshot = state.user_json(user)
        for item in filters:
            key, wanted = item["id"], str(item["value"])
            value = snapshot.get(key)
            actual = "" if value is None else str(value)
            if modes.get(key, "contains") == "equals":
                if actual != wanted:
                    return False
            elif wanted.lower() not in actual.lower():
                return False
        return True

    @router.get("")
    async def list_users(
        start: int = 0,
        size: int = 25,
        filters: str = "[]",
        filterModes: str = "{}",  # noqa: N803
    ) -> JSONResponse:
        chosen = [
            u
            for u in sorted(state.users.values(), key=lambda u: u.id, reverse=True)
            if matches(u, json.loads(filters), json.loads(filterModes))
        ]
        page = chosen[start : start + max(1, min(size, 1000))]
        return ok({"users": [state.user_json(u) for u in page], "total": len(chosen)})

    @router.post("")
    async def create_user(data: body.CreateUser) -> JSONResponse:
        values = _user_values(data)
        values["username"] = data.username
        if data.vless_uuid is not None:
            values["vless_uuid"] = str(data.vless_uuid)
        return ok(state.user_json(state.create_user(values)), 201)

    @router.patch("")
    async def update_user(data: body.UpdateUser) -> JSONResponse:
        if data.id is not None:
            user = state.user(data.id)
        elif data.username is not None:
            user = state.user_by(username=data.username)
        else:
            raise RequestValidationError(
                [
                    {
                        "type": "custom",
                        "loc": ("body", "id"),
                        "msg": "id or username is required",
                    }
                ]
            )
        return ok(state.user_json(state.update_user(user, _user_values(data))))

    @router.get("/by-username/{username}")
    async def by_username(username: str) -> JSONResponse:
        return ok(state.user_json(state.user_by(username=username)))

    @router.get("/by-short-uuid/{short_uuid}")
    async def by_short_uuid(short_uuid: str) -> JSONResponse:
        return ok(state.user_json(state.user_by(short=short_uuid)))

    @router.post("/bulk/delete", status_code=NO_CONTENT)
    async def bulk_delete(data: body.BulkUsers) -> Response:
        for user_id in data.user_ids:
            if user_id in state.users:
                state.delete_user(state.users[user_id])
        return Response(status_code=NO_CONTENT)

    @router.post("/bulk/update", status_code=ACCEPTED)
    async def bulk_update(data: body.BulkUpdate) -> Response:
        values = data.fields.model_dump(exclude_unset=True)
        for user_id in data.user_ids:
            if user_id in state.users:
                state.update_user(state.users[user_id], dict(values))
        return Response(status_code=ACCEPTED)

    @router.post("/bulk/extend-expiration-date", status_code=NO_CONTENT)
    async def bulk_extend(data: body.BulkExtend) -> Response:
        for user_id in data.user_ids:
            if user_id in state.users:
                state.extend(state.users[user_id], data.extend_days)
        return Response(status_code=NO_CONTENT)

    @router.post("/bulk/reset-traffic", status_code=ACCEPTED)
    async def bulk_reset(data: body.BulkUsers) -> Response:
        for user_id in data.user_ids:
            if user_id in state.users:
                state.reset_traffic(state.users[user_id])
        return Response(status_code=ACCEPTED)

    @router.post("/bulk/revoke-subscription", status_code=ACCEPTED)
    async def bulk_revoke(data: body.BulkUsers) -> Response:
        for user_id in data.user_ids:
            if user_id in state.users:
                state.revoke(state.users[user_id], only_passwords=False, new_short=None)
        return Response(status_code=ACCEPTED)

    @router.get("/{user_id}")
    async def get_user(user_id: int) -> JSONResponse:
        return ok(state.user_json(state.user(_positive(user_id), lookup=True)))

    @router.delete("/{user_id}", status_code=NO_CONTENT)
    async def delete_user(user_id: int) -> Response:
        state.delete_user(state.user(_positive(user_id)))
        return Response(status_code=NO_CONTENT)

    @router.post("/{user_id}/actions/enable")
    async def enable(user_id: int) -> JSONResponse:
        return ok(state.user_json(state.enable_user(state.user(_positive(user_id)))))

    @router.post("/{user_id}/actions/disable")
    async def disable(user_id: int) -> JSONResponse:
        return ok(state.user_json(state.disable_user(state.user(_positive(user_id)))))

    @router.post("/{user_id}/actions/reset-traffic")
    async def reset_traffic(user_id: int) -> JSONResponse:
        return ok(state.user_json(state.reset_traffic(state.user(_positive(user_id)))))

    @router.post("/{user_id}/actions/revoke")
    async def revoke(user_id: int, data: body.RevokeUser | None = None) -> JSONResponse:
        data = data or body.RevokeUser()
        user = state.revoke(
            state.user(_positive(user_id)),
            only_passwords=data.revoke_only_passwords,
            new_short=data.short_uuid,
        )
        return ok(state.user_json(user))

    @router.post("/{user_id}/actions/extend")
    async def extend(user_id: int, data: body.ExtendUser) -> JSONResponse:
        return ok(
            state.user_json(state.extend(state.user(_positive(user_id)), data.days))
        )

    return router


def _positive(user_id: int) -> int:
    if user_id <= 0:
        raise RequestValidationError(
            [{"type": "too_small", "loc": ("path", "userId"), "msg": "Too small"}]
        )
    return user_id


def _node_values(data: body.CreateNode | body.UpdateNode) -> dict[str, Any]:
    values = data.model_dump(exclude_unset=True, exclude={"uuid", "config_profile"})
    if data.config_profile is not None:
        values["profile_uuid"] = str(data.config_profile.active_config_profile_uuid)
        values["inbound_uuids"] = [str(i) for i in data.config_profile.active_inbounds]
    return values


def _nodes(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/nodes")

    @router.get("")
    async def list_nodes() -> JSONResponse:
        return ok([state.node_json(n) for n in state.nodes.values()])

    @router.post("")
    async def create_node(data: body.CreateNode) -> JSONResponse:
        values = _node_values(data)
        values.setdefault("port", None)
        values.setdefault("country_code", "XX")
        node = state.add_node(**values)
        return ok(state.node_json(node), 201)

    @router.patch("")
    async def update_node(data: body.UpdateNode) -> JSONResponse:
        node = state.update_node(state.node(str(data.uuid)), _node_values(data))
        return ok(state.node_json(node))

    @router.get("/{node_uuid}")
    async def get_node(node_uuid: str) -> JSONResponse:
        return ok(state.node_json(state.node(node_uuid)))

    @router.delete("/{node_uuid}", status_code=NO_CONTENT)
    async def delete_node(node_uuid: str) -> Response:
        state.delete_node(state.node(node_uuid))
        return Response(status_code=NO_CONTENT)

    @router.post("/{node_uuid}/actions/enable")
    async def enable_node(node_uuid: str) -> JSONResponse:
        return ok(
            state.node_json(state.set_node_disabled(state.node(node_uuid), False))
        )

    @router.post("/{node_uuid}/actions/disable")
    async def disable_node(node_uuid: str) -> JSONResponse:
        return ok(state.node_json(state.set_node_disabled(state.node(node_uuid), True)))

    @router.post("/{node_uuid}/actions/restart", status_code=ACCEPTED)
    async def restart_node(node_uuid: str, _data: body.RestartNode) -> Response:
        state.node(node_uuid)
        return Response(status_code=ACCEPTED)

    return router


def _system(state: PanelState) -> APIRouter:
    router = APIRouter(prefix="/api/system")

    @router.get("/stats")
    async def stats() -> JSONResponse:
        return ok(state.system_stats())

    @router.get("/stats/bandwidth")
    async def bandwidth() -> JSONResponse:
        period = {"current": "0 B", "previous": "0 B", "difference": "0 B"}
        return ok(
            {
                name: period
                for name in (
                    "bandwidthLastTwoDays",
                    "bandwidthLastSevenDays",
                    "bandwidthLast30Days",
                    "bandwidthCalendarMonth",
                    "bandwidthCurrentYear",
                )
            }
        )

    @router.get("/health")
    async def health() -> JSONResponse:
        now: datetime = state.now()
        uptime = (now - state.started_at).total_seconds()
        return ok(
            {
                "runtimeMetrics": [
                    {
                        "uptime": uptime,
                        "pid": 1,
                        "timestamp": iso(now),
                        "instanceType": "sandbox",
                    }
                ]
            }
        )

    return router
