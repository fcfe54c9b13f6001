"""The house's layers, read from the source with ast (imports inside functions count too: a
lazy import is still a circle of knowledge). Two rules:

1. No import circles between the project's own modules (tests and migrations left out).
2. No upward import: an app imports only the apps below it (``ALLOWED``), and inside an app
   split by concern a concern imports only the concerns before it (``CONCERNS``: experts'
   pool ← review ← committees; education's projects ← registration ← attendance, assessment
   ← credits).
   What an upper app adds to a lower one goes through a registered seam (payables, readers,
   panels, downloads, certificate lookups), connected in the upper app's ``apps.py``.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {"tests", "migrations", ".venv", "var", "bench", "scripts", "node_modules", "static", "templates",
                "locale"}

# Each app and what it may import (besides itself). config wires everything together.
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "payments": {"core", "accounts"},
    "membership": {"core", "accounts", "payments"},
    "evaluation": {"core", "accounts", "payments", "membership"},
    "education": {"core", "accounts", "payments", "membership"},
    "purchasing": {"core", "accounts", "payments", "membership"},
    "experts": {"core", "accounts", "payments", "membership", "evaluation", "education"},
    "portal": {"core", "accounts"},
}
# Inside an app split by concern: each concern and the concerns it may use, besides the app's
# shared modules (its exception tree, pure rules). The package's own gathering modules (models,
# urls, admin, demo, apps, deadlines, the pages that gather every concern) sit above them all.
CONCERNS = {
    "experts": {"pool": set(), "review": {"pool"}, "committees": {"pool", "review"}},
    "education": {"projects": set(), "registration": {"projects"}, "attendance": {"projects", "registration"},
                  "assessment": {"projects", "registration"},
                  "credits": {"projects", "registration", "attendance", "assessment"}},
    "purchasing": {"suppliers": set(), "catalogue": {"suppliers"}, "rounds": {"suppliers", "catalogue"},
                   "orders": {"suppliers", "catalogue", "rounds"}},
}
SHARED = {"experts": {"experts", "experts.exceptions"},
          "education": {"education", "education.exceptions", "education.rules"},
          "purchasing": {"purchasing", "purchasing.exceptions", "purchasing.pricing"}}


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
            continue
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    tops = {name.split(".")[0] for name in modules}

    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {name: set() for name in modules}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1] if node.level > 1 else anchor
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            else:
                continue
            for target in targets:
                if target.split(".")[0] in tops and (hit := resolve(target)) and hit != module:
                    graph[module].add(hit)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """``"module → app"`` (or ``→ experts.<concern>``) for every import the layers forbid."""
    wrong = set()
    for module, targets in graph.items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if app in ALLOWED and other != app and other not in ALLOWED[app]:
                wrong.add(f"{module} → {other}")
            concern = _concern(module)
            if concern and other == app and target not in SHARED[app]:
                target_concern = _concern(target)
                if target_concern != concern and target_concern not in CONCERNS[app][concern]:
                    wrong.add(f"{module} → {f'{app}.{target_concern}' if target_concern else target}")
    return sorted(wrong)


def _concern(module: str) -> str | None:
    parts = module.split(".")
    concerns = CONCERNS.get(parts[0], {})
    return parts[1] if len(parts) > 1 and parts[1] in concerns else None


def test_the_project_has_no_import_circle():
    assert circles(import_graph(project_modules())) == []


def test_no_app_imports_upward():
    assert upward_imports(import_graph(project_modules())) == []


@pytest.fixture
def tree(tmp_path):
    def write(files: dict[str, str]) -> Path:
        for name, source in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source)
        return tmp_path
    return write


def test_a_circle_through_a_lazy_import_is_found(tree):
    root = tree({
        "shop/__init__.py": "",
        "shop/models.py": "def paid():\n    from .services import order_paid\n",
        "shop/services.py": "from .models import paid\n",
        "shop/tasks.py": "from shop import services\n",
    })
    assert circles(import_graph(project_modules(root))) == [["shop.models", "shop.services"]]


def test_an_upward_import_is_named(tree):
    root = tree({
        "payments/__init__.py": "", "membership/__init__.py": "", "experts/__init__.py": "",
        "experts/pool/__init__.py": "", "experts/review/__init__.py": "",
        "payments/services.py": "from membership.models import Member\n",
        "membership/models.py": "from payments.models import Order\n",
        "experts/pool/services.py": "from experts.review import draw\n",
        "experts/review/draw.py": "from experts.pool import services\n",
    })
    assert upward_imports(import_graph(project_modules(root))) == [
        "experts.pool.services → experts.review", "payments.services → membership"]
