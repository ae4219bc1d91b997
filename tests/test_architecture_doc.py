"""docs/architecture.md is the page a newcomer reads first: every file and folder it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
# `study/models.py`, `quizzes/bank/`, `templates/quizzes/includes_feedback.html`: a path in backticks.
PATH = re.compile(r"`((?:srm_site|study|quizzes|templates|static|bench|tests|docs)/[\w./*-]*)`")


def named_paths():
    return sorted(set(PATH.findall(DOC.read_text())))


def test_every_path_the_architecture_page_names_exists():
    missing = [path for path in named_paths() if "*" not in path and not (ROOT / path).exists()]
    assert missing == []


def test_the_page_names_every_module_of_the_quizzes_app_or_its_folder():
    text = DOC.read_text()
    modules = [
        path.relative_to(ROOT)
        for path in (ROOT / "quizzes").rglob("*.py")
        if not {"tests", "migrations", "management", "templatetags"} & set(path.parts)
        and path.name not in ("__init__.py", "apps.py")
    ]

    def is_named(module):
        within_app = module.relative_to("quizzes").as_posix()
        folder = f"{module.parent.relative_to('quizzes').as_posix()}/"
        return (
            f"`{within_app}`" in text
            or f"quizzes/{within_app}`" in text
            or f"`{folder}`" in text
            or (f"quizzes/{folder}`" in text and folder != "./")
        )

    unnamed = [module.as_posix() for module in modules if not is_named(module)]
    assert unnamed == []
    assert len(modules) > 20
