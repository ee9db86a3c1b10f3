"""Layers point one way: `core` and `publishing` know no domain app, and no two apps import
each other, even through an import inside a function. Read from the source, as text."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dragoman"
# Apps that every other app may use, and that may use none of the domain apps.
FOUNDATIONS = {"core", "publishing"}
# Every other app of the package (each has an apps.py): a new app is checked without being
# listed here.
DOMAIN_APPS = {path.parent.name for path in PACKAGE.glob("*/apps.py")} - FOUNDATIONS


def app_imports() -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: ["file:line", ...]}}, function-level imports included."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "migrations" in parts:
            continue  # settings, urls, wsgi: the top, which may import anything
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
                if node.module == "dragoman":
                    names = [f"dragoman.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("dragoman.") and name.split(".")[1] != app:
                    found[app][name.split(".")[1]].append(f"{path.name}:{node.lineno}")
    return found


def test_the_foundations_know_no_domain_app():
    imports = app_imports()
    assert {"blogs", "conversations", "campaigns"} <= DOMAIN_APPS

    wrong = {
        (app, target): where
        for app in FOUNDATIONS
        for target, where in imports[app].items()
        if target in DOMAIN_APPS
    }

    assert wrong == {}


def test_no_import_cycle_between_apps():
    imports = app_imports()
    graph = {app: set(targets) for app, targets in imports.items()}

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for target in graph.get(node, ()):
                if target == start:
                    return [*trail, start]
                if target not in trail:
                    stack.append((target, [*trail, target]))
        return None

    cycles = {app: cycle for app in graph if (cycle := cycle_from(app))}

    assert cycles == {}, {app: " -> ".join(cycle) for app, cycle in cycles.items()}
