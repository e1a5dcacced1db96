"""The layers, read from the code: pure flows, routers that are tables of handlers and
import no other router, screens that know no router."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            # "from bot.routers import start" names the module in the alias.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_flows_never_import_aiogram() -> None:
    """Decisions stay pure: flows/ must run and be tested without the Telegram framework."""
    offenders = [f"{path.name}: {name}" for path in (ROOT / "flows").rglob("*.py")
                 for name in imported_modules(path) if name.split(".")[0] in {"aiogram", "bot"}]
    assert not offenders


def test_no_router_imports_another() -> None:
    """What two routers share lives in screens, repositories or flows; only the package's
    __init__ gathers the routers."""
    offenders = [f"{path.name}: {name}" for path in (ROOT / "bot" / "routers").glob("*.py")
                 if path.name != "__init__.py"
                 for name in imported_modules(path) if name.startswith("bot.routers")]
    assert not offenders


def test_screens_import_no_router() -> None:
    offenders = [f"{path.name}: {name}" for path in (ROOT / "bot" / "screens").glob("*.py")
                 for name in imported_modules(path) if name.startswith("bot.routers")]
    assert not offenders


def test_handlers_live_at_module_level() -> None:
    """A router is a table: create_router registers module-level handlers, so that each can
    be read and imported on its own; no handler is defined inside another function."""
    nested = []
    for path in (ROOT / "bot" / "routers").glob("*.py"):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nested += [f"{path.name}: {function.name}.{inner.name}" for inner in ast.walk(function)
                           if inner is not function and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef))]
    assert not nested
