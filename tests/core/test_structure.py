"""The module graph keeps one direction: the rules read the recommendation model, never the code that runs them."""

from __future__ import annotations

import ast
from pathlib import Path

ADVISOR = Path(__file__).resolve().parents[2] / "advisor"


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_rules_never_import_the_recommend_module() -> None:
    offenders = {path.name for path in (ADVISOR / "rules").glob("*.py")
                 if "advisor.recommend" in _imported_modules(path)}
    assert offenders == set()


def test_the_recommendation_model_imports_neither_rules_nor_recommend() -> None:
    imported = _imported_modules(ADVISOR / "recommendation.py")
    assert not {name for name in imported if name == "advisor.recommend" or name.startswith("advisor.rules")}


def test_advisor_never_imports_streamlit() -> None:
    offenders = {str(path.relative_to(ADVISOR)) for path in ADVISOR.rglob("*.py")
                 if any(name.split(".")[0] == "streamlit" for name in _imported_modules(path))}
    assert offenders == set()


def test_loading_the_rules_never_loads_the_recommend_module() -> None:
    # Transitively too: a rule that reaches advisor.recommend through a helper brings the cycle back.
    import subprocess
    import sys

    code = "import sys, advisor.rules; print('advisor.recommend' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ADVISOR.parent).stdout.strip()
    assert out == "False"
