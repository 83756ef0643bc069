"""The apps import one another top-down only, as docs/architecture.md draws them.

Each app's source files are read with `ast` (nothing is imported or run): every `import` and
`from … import`, at the top of a module or inside a function, that names another of our apps
must name one on a lower layer. Two apps on one layer may not import each other, so there is no
cycle between apps. Tests and migrations are left out (tests build data across apps; migrations
are frozen history); management commands are app code and count.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# Lowest first. An app may import the apps of the layers below its own, never one of its own layer
# or above.
LAYERS = [
    ["core"],  # no domain: workbook reading, text folding, months, uploads, health, the submission workflow
    ["accounts"],  # users and roles
    ["facilities"],  # the registry: areas, types, facilities, memberships, for_user() scoping
    ["assessments", "milestones"],  # submissions a facility makes
    ["reports"],  # monthly reports (and the review queue of reports and assessments)
    ["escalations"],  # the escalation register: difficulties from approved reports and partner agencies
    ["compliance"],  # rules, engine, and what "as of D" means for every page and file
    ["dashboard"],  # pages: home, province dashboard, facility list and page
    ["exports"],  # files: workbooks of those pages, in the background when large
    ["demo", "bench"],  # the demo province and the benchmark build with everything
    ["rollout_portal"],  # settings, URLs, the Celery app
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
ROOT = Path(settings.BASE_DIR)
LEFT_OUT = {"tests", "migrations"}


def source_files(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if not LEFT_OUT & set(path.relative_to(ROOT / app).parts) and path.name != "conftest.py"
    )


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    package = list(path.relative_to(ROOT).parent.parts)  # what `from . import x` names
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.append((node.lineno, module))
    return found


def upward_imports(app: str) -> list[str]:
    """Imports of `app` that name an app on its own layer or above, as "file:line imports module"."""
    wrong = []
    for path in source_files(app):
        for line, module in imported_modules(path):
            target = module.split(".")[0]
            if target in RANK and target != app and RANK[target] >= RANK[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


def test_every_app_of_ours_has_a_layer():
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert sorted(set(ours) - set(RANK)) == []


@pytest.mark.parametrize("app", list(RANK))
def test_an_app_imports_only_the_layers_below_it(app):
    assert upward_imports(app) == []


def test_the_walk_finds_an_import_that_runs_back_up(tmp_path, monkeypatch):
    """The walk itself: a lower app importing a higher one (at the top or inside a function) is found."""
    (tmp_path / "facilities").mkdir()
    (tmp_path / "facilities" / "views.py").write_text(
        "from .models import Facility\n\ndef page():\n    from dashboard.selectors import today\n"
    )
    (tmp_path / "facilities" / "tests").mkdir()
    (tmp_path / "facilities" / "tests" / "test_page.py").write_text("import dashboard\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert upward_imports("facilities") == ["facilities/views.py:4 imports dashboard.selectors"]
