"""The package's layers: no module imports from a higher layer, and no import cycle.

Plugin-facing modules at the top of ``crmflags/`` are the lowest layer; the
subpackages follow the data flow (loading, rules, evaluation, sync, report, cli).
Plugins (the built-in connectors and rulesets, the example plugin) sit above
everything and import only the public API docs/plugins.md declares. Imports are read with
``ast``, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import public_api

ROOT = Path(__file__).resolve().parent.parent
#: Subpackages of crmflags, lowest first; the top-level modules come before them all.
LAYERS = ("loading", "rules", "evaluation", "sync", "report", "cli")
#: Plugins shipped in this repository, each a folder holding its package.
PLUGIN_FOLDERS = ("connectors", "rulesets", "examples/crmflags-sqlite")
#: Modules of crmflags that are plugins or entry points, not part of the layers.
OUTSIDE_LAYERS = {"crmflags.__main__": "cli", "crmflags.webhook_plugin": "plugin"}


def module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, name: str) -> set[str]:
    """Return the crmflags modules a file imports (``from x import y`` may name a module y)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m == "crmflags" or m.startswith("crmflags.")}


def core_modules() -> dict[str, set[str]]:
    base = ROOT
    modules = {}
    for path in sorted((ROOT / "crmflags").rglob("*.py")):
        name = module_name(path, base)
        modules[name] = imports(path, name)
    return {name: {m for m in found if m in modules} for name, found in modules.items()}


def layer(module: str) -> int:
    """Return a core module's layer: 0 for the top-level modules, then LAYERS in order."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return 1 + LAYERS.index(parts[1])
    return 0  # a top-level module, or a package of them (crmflags.http.client)


def test_no_module_imports_from_a_higher_layer():
    upward = [
        f"{module} (layer {layer(module)}) imports {target} (layer {layer(target)})"
        for module, targets in core_modules().items()
        if module not in OUTSIDE_LAYERS
        for target in sorted(targets)
        if layer(target) > layer(module)
    ]
    assert upward == []


def test_there_is_no_import_cycle():
    graph = core_modules()
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if target == module or target in ("crmflags",):
                continue  # a package's own __init__ is loaded before any module in it
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_layer_test_sees_an_upward_import():
    """The checks above read real imports: a known downward import is found."""
    graph = core_modules()
    assert "crmflags.loading.config" in graph["crmflags.cli.app"]
    assert layer("crmflags.cli.app") > layer("crmflags.loading.config") > layer("crmflags.model")


def test_plugins_import_only_the_public_api():
    """Every crmflags name a shipped plugin imports is one docs/plugins.md declares."""
    api = public_api()
    private = []
    for folder in PLUGIN_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    module = node.module
                elif isinstance(node, ast.Import):
                    private += [
                        f"{path.relative_to(ROOT)} imports {alias.name}"
                        for alias in node.names
                        if alias.name.startswith("crmflags.") and alias.name not in api
                    ]
                    continue
                else:
                    continue
                if module != "crmflags" and not module.startswith("crmflags."):
                    continue
                for alias in node.names:
                    if module not in api or (
                        alias.name not in api[module] and f"{module}.{alias.name}" not in api
                    ):
                        private.append(f"{path.relative_to(ROOT)} imports {module}.{alias.name}")
    assert private == []
