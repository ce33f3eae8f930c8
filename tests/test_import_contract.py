"""The import contract between the core and the apps (issue 12, point 8).

Every ``.py`` file of the project is parsed with ``ast`` (nothing is imported), including
imports inside functions, ``if TYPE_CHECKING`` blocks and ``importlib.import_module("...")`` /
``__import__("...")`` calls with a literal name, and string constants that name a project
module by its dotted path (``"villages.demo"``, ``include("community.urls")``): a module listed
by name is imported all the same. The rules:

- ``synergy/`` (the core) imports no app (``community``, ``villages``, ``analytics``), except
  the wiring modules listed in ``CORE_WIRING`` with their reason;
- ``villages/`` (including ``villages.exchange``) never imports ``community``;
- ``analytics/methods/`` imports no Django and no other project package: only the standard
  library, the numerical stack in ``METHODS_THIRD_PARTY`` and itself.

Known violations outside analytics are listed in ``KNOWN_VIOLATIONS`` with a reason, so the
test passes today and fails as soon as a new one appears or a listed one is fixed (then delete
its line).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("community", "villages", "analytics")
PROJECT = ("synergy", *APPS)
SKIP_DIRS = {".venv", "node_modules", "__pycache__", "staticfiles", "media", ".git"}

# Core modules that must name apps to wire them into one site; nothing else in the core may.
CORE_WIRING = {
    "synergy/settings.py": "INSTALLED_APPS, the beat schedule's task names and the API "
                           "schema's enum overrides name app modules (as strings)",
    "synergy/urls.py": "the root URLconf includes each app's urls",
}
# synergy/celery.py needs no exception: autodiscover_tasks() finds the apps' tasks through
# INSTALLED_APPS without naming them.

# Third-party packages that the plain-Python maths may use.
METHODS_THIRD_PARTY = {"numpy", "pandas", "scipy", "statsmodels", "linearmodels", "openpyxl",
                       "matplotlib",
                       "safecell"}  # the project's one plain-Python rule for spreadsheet cells

# (importing file, imported module) pairs that break the contract today, outside analytics.
# Each needs its own fix in its own app; the reason says why it is there.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
}


# A string constant that is a dotted path into an app: "villages.exchange.models.OpenStatus".
DOTTED_APP_PATH = re.compile(rf"(?:{'|'.join(APPS)})(?:\.[A-Za-z_]\w*)+")


@dataclass(frozen=True)
class Import:
    path: str  # relative to ROOT, with "/"
    module: str  # absolute dotted name of what is imported
    line: int


def _module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(rel: Path) -> bool:
    return rel.name == "__init__.py"


def _submodule_exists(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _resolve_from(root: Path, rel: Path, node: ast.ImportFrom) -> list[str]:
    if node.level:
        pkg = _module_name(rel).split(".")
        if not _is_package(rel):
            pkg = pkg[:-1]
        if node.level > 1:
            pkg = pkg[: len(pkg) - (node.level - 1)]
        base = ".".join(pkg + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    # ``from pkg import sub`` imports the submodule ``pkg.sub`` when there is one.
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if alias.name != "*" and _submodule_exists(root, sub) else base)
    return out


def _dynamic(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in ("import_module", "__import__") and node.args:
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


def _named_module(root: Path, text: str) -> str | None:
    """The longest existing module (below an app's top package) that the dotted string
    ``text`` starts with; ``"community.name"`` (a serializer's ``source=``) is none."""
    parts = text.split(".")
    for n in range(len(parts), 1, -1):
        if _submodule_exists(root, ".".join(parts[:n])):
            return ".".join(parts[:n])
    return None


def _imports(path: Path, root: Path = ROOT) -> list[Import]:
    rel = path.relative_to(root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
    found: dict[Import, None] = {}  # ordered, without repeats
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = _resolve_from(root, rel, node)
        elif isinstance(node, ast.Call) and (dyn := _dynamic(node)):
            mods = [dyn]
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and DOTTED_APP_PATH.fullmatch(node.value)):
            mods = [_named_module(root, node.value)]
        else:
            continue
        found.update((Import(rel.as_posix(), m, node.lineno), None) for m in mods if m)
    return list(found)


def _files(top: str) -> list[Path]:
    return sorted(p for p in (ROOT / top).rglob("*.py")
                  if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts))


@pytest.fixture(scope="module")
def imports() -> dict[str, list[Import]]:
    return {top: [i for f in _files(top) for i in _imports(f)] for top in PROJECT}


def _top(module: str) -> str:
    return module.split(".")[0]


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _check(found: list[Import]) -> list[str]:
    """Violations not in KNOWN_VIOLATIONS, as 'path:line imports module' lines."""
    return [f"{i.path}:{i.line} imports {i.module}" for i in found
            if (i.path, i.module) not in KNOWN_VIOLATIONS]


def test_the_scanner_sees_every_kind_of_import(tmp_path):
    """A module with top-level, relative, function-local and dynamic imports, in a copy of
    the package layout under tmp_path (the source tree is never written)."""
    pkg = tmp_path / "analytics" / "methods"
    (pkg / "panel").mkdir(parents=True)
    for f in ("analytics/__init__.py", "analytics/methods/__init__.py",
              "analytics/methods/formula.py", "analytics/methods/panel/__init__.py"):
        (tmp_path / f).write_text("", encoding="utf-8")
    probe = pkg / "panel" / "probe.py"
    probe.write_text(
        "import numpy as np\nfrom ..formula import parse_formula\nfrom .. import panel\n"
        "from ... import models\nSEEDERS = ['analytics.methods.formula.parse', 'analytics.name', 'a b']\n"
        "def f():\n    from django.conf import settings\n"
        "    import importlib\n    importlib.import_module('community.models')\n",
        encoding="utf-8")
    found = _imports(probe, root=tmp_path)
    assert {i.module for i in found} == {
        "numpy", "analytics.methods.formula", "analytics.methods.panel", "analytics",
        "django.conf", "importlib", "community.models"}
    assert {i.path for i in found} == {"analytics/methods/panel/probe.py"}


def _core_imports_an_app(found: list[Import]) -> list[Import]:
    return [i for i in found if _top(i.path.replace("/", ".")) == "synergy"
            and _top(i.module) in APPS and i.path not in CORE_WIRING]


def _villages_imports_community(found: list[Import]) -> list[Import]:
    return [i for i in found
            if i.path.startswith("villages/") and _top(i.module) == "community"]


def test_the_core_and_villages_rules():
    core = [Import("synergy/core/selectors.py", m, 1)
            for m in ("villages.models", "community", "analytics.methods.cells")]
    fine = [Import("synergy/core/selectors.py", "synergy.core.models", 1),
            Import("synergy/urls.py", "villages.urls", 1),
            Import("villages/exchange/selectors.py", "villages.models", 1),
            Import("community/selectors.py", "villages.models", 1)]
    exchange = [Import("villages/exchange/services.py", "community.models", 1)]
    assert _core_imports_an_app(core + fine + exchange) == core
    assert _villages_imports_community(core + fine + exchange) == exchange


def test_the_core_imports_no_app_except_its_wiring(imports):
    bad = _check(_core_imports_an_app(imports["synergy"]))
    assert not bad, "the core imports an app:\n" + "\n".join(bad)


def test_the_wiring_exceptions_are_real_files():
    for path in CORE_WIRING:
        assert (ROOT / path).is_file(), path


def test_villages_never_imports_community(imports):
    bad = _check(_villages_imports_community(imports["villages"]))
    assert not bad, "villages imports community:\n" + "\n".join(bad)


def _not_plain_python(found: list[Import]) -> list[Import]:
    """Imports of analytics/methods other than the stdlib, the numerical stack and itself."""
    return [i for i in found if i.path.startswith("analytics/methods/")
            and not _within(i.module, "analytics.methods")
            and _top(i.module) not in {*sys.stdlib_module_names, *METHODS_THIRD_PARTY}]


def test_the_plain_python_rule_refuses_django_and_the_project():
    def imp(module):
        return Import("analytics/methods/x.py", module, 1)

    ok = [imp("numpy"), imp("__future__"), imp("analytics.methods.panel"), imp("json")]
    bad = [imp("django.conf"), imp("analytics.models"), imp("synergy.core.errors"),
           imp("rest_framework")]
    assert _not_plain_python(ok + bad) == bad
    assert _not_plain_python([Import("analytics/services/runs.py", "django.db", 1)]) == []


def test_analytics_methods_is_plain_python(imports):
    """No Django, no other project package: the stdlib, the numerical stack and itself."""
    methods = [i for i in imports["analytics"] if i.path.startswith("analytics/methods/")]
    assert len({i.path for i in methods}) > 10, "the scan missed analytics/methods"
    bad = _check(_not_plain_python(methods))
    assert not bad, "analytics/methods must stay plain Python:\n" + "\n".join(bad)


def test_known_violations_are_still_real(imports):
    """A fixed violation must leave the list, so the list never hides a new one."""
    seen = {(i.path, i.module) for found in imports.values() for i in found}
    stale = [f"{p} -> {m}" for (p, m) in KNOWN_VIOLATIONS if (p, m) not in seen]
    assert not stale, "fixed: delete from KNOWN_VIOLATIONS:\n" + "\n".join(stale)
