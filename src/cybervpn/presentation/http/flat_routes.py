"""Routers included the way FastAPI did before 0.137: each route copied onto the app.

FastAPI now keeps an included router as a node of a tree and, on every request,
walks each node in turn (checking a version over its whole subtree, then matching
each of its routes), and does it again to dispatch. Routes placed on the app itself
are matched by one scan. On this app that walk cost more than a bare FastAPI
endpoint's whole handling, and a 404 walked the tree four times (ADR 0003).

The routers stay what every context declares (`APIRouter` with a prefix and tags);
only the way they join the app changes. What a route declares is copied as it is,
so the OpenAPI document is the same (its contract test says so).
"""

import inspect
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute

# What `APIRouter.add_api_route` takes, read from the route itself.
_ROUTE_OPTIONS = tuple(
    name
    for name in inspect.signature(APIRouter.add_api_route).parameters
    if name not in {"self", "path", "endpoint", "route_class_override"}
)


def include_flat(app: FastAPI, router: APIRouter, *, prefix: str = "") -> None:
    for route in router.routes:
        if isinstance(route, APIRoute):
            options: dict[str, Any] = {
                name: getattr(route, name) for name in _ROUTE_OPTIONS
            }
            app.router.add_api_route(prefix + route.path, route.endpoint, **options)
        elif isinstance(route, APIWebSocketRoute):
            app.router.add_api_websocket_route(
                prefix + route.path,
                route.endpoint,
                name=route.name,
                dependencies=route.dependencies,
            )
        else:  # a router inside a router, or a mount: not flattened here
            raise TypeError(f"cannot include {route!r} flat")
