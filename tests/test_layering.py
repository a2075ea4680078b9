"""Data flows one way: ingest → vectorstore → assistant → ui. No package imports one above it,
and the API and CLI never import Streamlit."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
ORDER = ["ingest", "vectorstore", "assistant", "ui"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ORDER)
def test_no_package_imports_one_above_it(package: str) -> None:
    above = set(ORDER[ORDER.index(package) + 1 :])
    for path in (ROOT / package).rglob("*.py"):
        bad = _imports(path) & above
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("package", ["ingest", "vectorstore", "assistant"])
def test_api_and_cli_do_not_need_streamlit(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        assert "streamlit" not in _imports(path), path
