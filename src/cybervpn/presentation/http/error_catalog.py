"""Which errors each operation can answer, worked out from the code itself.

A use case can fail with the domain errors its module (and the application modules
it imports, transitively) names: raised, passed on (`not_found=...`) or listed by a
port. Scanning those names finds them without a list kept by hand per route, so a
new `raise` shows up in the OpenAPI document by itself. Dependencies add their own:
a caller's token (401), a permission (403), a body (413, 422), the rate limit (429)
and the database (503).
"""

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from functools import cache
from types import ModuleType
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import cybervpn.domain
from cybervpn.domain.common.errors import DomainError, PermissionDeniedError
from cybervpn.domain.identity.errors import InvalidTokenError, TwoFactorRequiredError

_APPLICATION = "cybervpn.application."


@cache
def domain_errors() -> tuple[type[DomainError], ...]:
    """Every concrete domain error (the kinds they derive from left out)."""
    for module in pkgutil.walk_packages(cybervpn.domain.__path__, "cybervpn.domain."):
        importlib.import_module(module.name)

    def subclasses(kind: type[DomainError]) -> Iterator[type[DomainError]]:
        for sub in kind.__subclasses__():
            yield sub
            yield from subclasses(sub)

    every = set(subclasses(DomainError))
    kinds = {base for error in every for base in error.__mro__[1:]}
    return tuple(sorted(every - kinds, key=lambda e: e.code))


@cache
def _names_in(module_name: str) -> frozenset[str]:
    """The module's own domain errors and those of the application modules it
    imports, by qualified name."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    found = set(_errors_named_in(module, tree))
    for imported in _application_imports(tree):
        found |= _names_in(imported)
    return frozenset(found)


def _errors_named_in(module: ModuleType, tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            value = getattr(module, node.id, None)
            if inspect.isclass(value) and issubclass(value, DomainError):
                yield f"{value.__module__}.{value.__qualname__}"


def _application_imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            _APPLICATION
        ):
            yield node.module or ""


def errors_of_module(module_name: str) -> set[type[DomainError]]:
    names = _names_in(module_name)
    return {e for e in domain_errors() if f"{e.__module__}.{e.__qualname__}" in names}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def _use_case_modules(route: APIRoute) -> set[str]:
    # The route's own module counts too: a development-only route may raise.
    modules = {route.endpoint.__module__}
    for call in _calls(route.dependant):
        returned = inspect.signature(call).return_annotation
        if inspect.isclass(returned) and returned.__module__.startswith(_APPLICATION):
            modules.add(returned.__module__)
        if call.__module__.startswith(_APPLICATION):
            modules.add(call.__module__)
    return modules


def route_errors(
    route: APIRoute, *, caller: Callable[..., Any], permission_check: str
) -> set[type[DomainError]]:
    """The domain errors `route` can answer with (status and code from each)."""
    errors: set[type[DomainError]] = set()
    for module in _use_case_modules(route):
        errors |= errors_of_module(module)
    calls = list(_calls(route.dependant))
    if caller in calls:
        errors.add(InvalidTokenError)
    if any(getattr(c, "__qualname__", "").startswith(permission_check) for c in calls):
        errors |= {PermissionDeniedError, TwoFactorRequiredError}
    return errors
