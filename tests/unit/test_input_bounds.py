"""Every input the API accepts is bounded where storage and the panel are: the
OpenAPI document says so, field by field, so a new route cannot forget."""

from datetime import datetime
from typing import Any, get_args

import pytest
from pydantic import AwareDatetime, BaseModel

from cybervpn.presentation.http.app import create_app
from cybervpn.presentation.http.openapi import api_routes
from tests.conftest import make_settings

pytestmark = pytest.mark.unit
UNBOUNDED_TEXT_FORMATS = {"uuid", "date-time", "email", "binary"}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = make_settings("sqlite+aiosqlite://", tmp_path_factory.mktemp("d"))
    openapi: dict[str, Any] = create_app(settings).openapi()
    return openapi


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = document["components"]["schemas"][name]
    return schema


def _unbounded(
    document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]
) -> list[str]:
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return []
        seen = seen | {schema["$ref"]}
    schema = _resolve(document, schema)
    problems: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        options = schema.get(key, [])
        # A decimal is a bounded number, or the same number written as text.
        decimal = any(_resolve(document, o).get("type") == "number" for o in options)
        for option in options:
            if decimal and _resolve(document, option).get("type") == "string":
                continue
            problems += _unbounded(document, option, where, seen)
    kind = schema.get("type")
    lower = {"minimum", "exclusiveMinimum"} & schema.keys()
    upper = {"maximum", "exclusiveMaximum"} & schema.keys()
    if kind == "integer" and not (lower and upper):
        problems.append(f"{where}: integer without both bounds")
    if kind == "number" and not upper:
        problems.append(f"{where}: number without a maximum")
    if (
        kind == "string"
        and "maxLength" not in schema
        and "pattern" not in schema
        and "enum" not in schema
        and "const" not in schema
        and schema.get("format") not in UNBOUNDED_TEXT_FORMATS
    ):
        problems.append(f"{where}: text without maxLength")
    if kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: list without maxItems")
        problems += _unbounded(document, schema.get("items", {}), f"{where}[]", seen)
    for name, prop in schema.get("properties", {}).items():
        problems += _unbounded(document, prop, f"{where}.{name}", seen)
    return problems


def test_every_parameter_and_body_field_is_bounded(document: dict[str, Any]) -> None:
    problems: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                problems += _unbounded(
                    document,
                    parameter["schema"],
                    f"{where} {parameter['in']}:{parameter['name']}",
                    set(),
                )
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                problems += _unbounded(
                    document, media["schema"], f"{where} body", set()
                )
    assert problems == [], "\n".join(problems)


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


def _naive_datetime_fields(model: type[BaseModel], seen: set[type]) -> list[str]:
    found = []
    for name, field in model.model_fields.items():
        kinds = {field.annotation, *get_args(field.annotation)}
        if datetime in kinds and AwareDatetime not in kinds:
            found.append(f"{model.__name__}.{name}")
        for nested in _models(field.annotation):
            if nested not in seen:
                found += _naive_datetime_fields(nested, seen | {nested})
    return found


def test_no_input_accepts_a_datetime_without_a_time_zone(tmp_path: Any) -> None:
    app = create_app(make_settings("sqlite+aiosqlite://", tmp_path))
    routes = list(api_routes(app.routes))
    assert len(routes) > 70
    found: list[str] = []
    for route in routes:
        for param in route.dependant.query_params:
            if param.field_info.annotation in (datetime, datetime | None):
                found.append(f"{route.path} ?{param.name}")
        for body in route.dependant.body_params:
            for model in _models(body.field_info.annotation):
                found += _naive_datetime_fields(model, {model})
    assert found == [], found
