"""Routes receive their use cases one way: an Annotated dependency each.

Routes that built a use case inline could not be given another in tests, and every
new route copies what it finds, so the rule is checked, not only written down.
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import cybervpn.presentation.http as http_package

pytestmark = pytest.mark.unit
ROUTERS = sorted(Path(http_package.__file__).parent.glob("*/*router.py"))


def _use_cases_imported(tree: ast.Module) -> dict[str, object]:
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "cybervpn.application."
        ):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                imported = getattr(module, alias.name)
                if inspect.isclass(imported) and hasattr(imported, "execute"):
                    found[alias.asname or alias.name] = imported
    return found


@pytest.mark.parametrize("router", ROUTERS, ids=lambda path: path.parent.name)
def test_routes_never_build_a_use_case_themselves(router: Path) -> None:
    tree = ast.parse(router.read_text())
    use_cases = _use_cases_imported(tree)
    built = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in use_cases
    ]
    assert built == [], f"{router.name} builds {built}: take them as dependencies"


def test_routers_were_found() -> None:
    assert len(ROUTERS) >= 15
