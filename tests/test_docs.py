"""The documentation is complete and its links hold.

* every page the README links to exists, and every page of ``docs/`` is linked
  from the README (a page nobody can find is not documentation);
* every relative link and image in the README and ``docs/*.md`` resolves to a file;
* every command of ``obligraph --help`` has its own section in ``docs/cli.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from obligraph.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_readme_links_every_docs_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {m.group(1) for m in LINK.finditer(readme)}
    for page in sorted(DOCS.glob("*.md")):
        assert f"docs/{page.name}" in linked, f"README does not link docs/{page.name}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    for target in (m.group(1) for m in LINK.finditer(text)):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_commands_are_listed():
    """The walk over the Typer app sees the commands the README tours."""
    assert {"build", "stats", "export", "query", "check", "push", "trace"} <= set(_commands())


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_a_section_in_cli_md(command):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^##+ `?{re.escape(command)}\b", text, re.M), (
        f"docs/cli.md has no section for `obligraph {command}`"
    )


def test_every_screenshot_is_shown_and_retaken_by_the_script():
    """Each picture in docs/screenshots is shown by a page of docs/ and is one that
    ``scripts/screenshots.py`` retakes (so none goes stale unseen), and the script takes
    nothing the docs do not show."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = "".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    shown = set(re.findall(r"\]\(screenshots/([\w-]+)\.png\)", text))
    files = {p.stem for p in (DOCS / "screenshots").glob("*.png")}
    assert files == shown == set(script.PAGES)
