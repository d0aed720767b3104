"""The layers of DESIGN.md hold: `lint-imports` passes on the tree, and a wrong-way import in
a copy of it makes `lint-imports` (and so `make test`) fail."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tiers import ROOT, lint_imports_command

PACKAGES = ("website", "campaigns", "quiz")

pytestmark = pytest.mark.skipif(lint_imports_command() is None, reason="import-linter missing")


def lint_imports(root):
    """Return the finished `lint-imports` run over the packages under ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        lint_imports_command(), cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def python_only(directory, names):
    # The import graph needs only the Python sources; images, fonts and templates stay out.
    return [
        n
        for n in names
        if n == "__pycache__" or (not n.endswith(".py") and not (Path(directory) / n).is_dir())
    ]


@pytest.fixture
def tree_copy(tmp_path):
    """Return a scratch copy of the project's Python packages and pyproject.toml."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=python_only)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_import_layers():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    "module, wrong_way, contract",
    [
        # The kernel importing an app above it (the cycle pages → api → pages that was).
        ("website/pages/models/base.py", "import website.api.views", "Layers"),
        ("website/core/cache.py", "import quiz.models", "Layers"),
        # Production code importing the demo.
        ("quiz/share.py", "import website.demo.builder", "never imports the demo"),
        # Two partner outputs of one layer importing each other.
        ("website/feeds/views.py", "import website.embeds.snippets", "Layers"),
        # Embeds naming the quiz instead of reading the page type's attributes.
        ("website/embeds/views.py", "import quiz.views", "learn the apps' page types"),
        # The SMS room importing the outreach room above it.
        ("campaigns/sms/delivery.py", "import campaigns.outreach.planning", "Campaigns rooms"),
    ],
)
def test_a_wrong_way_import_breaks_the_layers(tree_copy, module, wrong_way, contract):
    path = tree_copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{wrong_way}  # noqa\n", "utf-8")
    run = lint_imports(tree_copy)
    assert run.returncode != 0
    broken = [line for line in run.stdout.splitlines() if " BROKEN" in line]
    assert any(contract in line for line in broken), run.stdout
