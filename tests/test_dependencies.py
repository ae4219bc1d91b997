"""The direction of dependencies (docs/architecture.md): `srm_site` (the project) may use both apps,
`quizzes` builds on `study`, and `study` stands alone; no module imports itself back in a loop.

Imports are read from the source (every `import` and `from ... import`, at any depth, so a lazy
import inside a function counts too)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("srm_site", "study", "quizzes")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(package):
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def imported_names(path):
    """Every first-party module name `path` imports, as written (a `from a import b` gives `a.b`
    when `a.b` is a module, else `a`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in (*PACKAGES, "tests")}


def existing_modules():
    return {module_name(path) for package in PACKAGES for path in source_files(package)}


def import_graph(include_tests):
    modules = existing_modules()
    graph = {}
    for package in PACKAGES:
        for path in source_files(package):
            name = module_name(path)
            if not include_tests and ".tests" in f".{name}.":
                continue
            graph[name] = {imported for imported in imported_names(path) if imported in modules} - {name}
    return graph


def top(name):
    return name.split(".")[0]


def test_study_never_imports_quizzes():
    offenders = [
        f"{name} imports {imported}"
        for name, imports in import_graph(include_tests=True).items()
        if top(name) == "study"
        for imported in imports
        if top(imported) == "quizzes"
    ]
    assert offenders == []


def test_no_app_imports_the_project_package():
    offenders = [
        f"{name} imports {imported}"
        for name, imports in import_graph(include_tests=True).items()
        if top(name) in ("study", "quizzes")
        for imported in imports
        if top(imported) == "srm_site"
    ]
    assert offenders == []


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}  # module -> "open" while on the path, "done" after

    def visit(node, path):
        state[node] = "open"
        for neighbour in sorted(graph.get(node, ())):
            if state.get(neighbour) == "open":
                return [*path[path.index(neighbour) :], neighbour]
            if neighbour not in state:
                cycle = visit(neighbour, [*path, neighbour])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start, [start])
            if cycle:
                return cycle
    return None


def test_no_import_cycles_between_modules():
    graph = import_graph(include_tests=False)
    # A package's __init__ re-exporting its own modules is how `quizzes.models` works; it is not a loop.
    for name in graph:
        graph[name] = {imported for imported in graph[name] if not name.startswith(f"{imported}.")}
    assert find_cycle(graph) is None


def test_the_checks_see_a_cycle_and_a_wrong_way_import():
    """The helpers above find what they are meant to find (so the tests above can fail)."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    names = imported_names(ROOT / "srm_site" / "urls.py")
    assert "quizzes.progress.views" in names and "srm_site.views" in names
