"""The README and the docs site: the site builds, the README stays a short front door, and what
they state about the template is checked against the template rather than typed by hand."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cookiecutter.prompt import prompt_for_config

from bench import report
from bench.tools import find_tool

from .template import CONTEXT, PROJECT_TEMPLATE, QUESTIONS, TEMPLATE_DIR, bake, recorded_answers

README = TEMPLATE_DIR / "README.md"
DOCS = TEMPLATE_DIR / "docs"
BENCHMARKS_PAGE = TEMPLATE_DIR / report.DOCS_PAGE
ARCHITECTURE_PAGE = DOCS / "architecture.md"
RESULTS = TEMPLATE_DIR / "bench" / "results"
README_MOST_BYTES = 12 * 1024
ANSWERS_ROW_MOST_CHARS = 200
COMMAND_MARKERS = ("serve-command", "test-command", "bench-command")
LAYOUT_MARKER = "<!-- layout -->"
PIPELINE_ORDER_MARKER = "<!-- pipeline-order -->"
# What a render holds that the template does not write.
NOT_RENDERED = frozenset({".git", ".venv"})

# A number as prose writes it: not part of a word, a version or a path (v1, p99, 3.12.1).
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w.]\d)")
# A number with the unit of a measurement after it.
MEASURED = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)*)\s?"
    r"(?:x|\u00d7|times|%|MiB|MB|KB|GB|ms|µs|us|s|seconds|req/s|rows/s|events/s|requests|rows|events)"
    r"(?!\w)"
)
# Figures only a benchmark gives: ratios to a baseline, memory, microseconds, rates.
BENCHMARK_FIGURE = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)*\s?(?:[x\u00d7](?!\w)|times\b|MiB\b|µs|req/s|rows/s|events/s)"
)
FENCED = re.compile(r"^```.*?^```$", re.DOTALL | re.MULTILINE)

# Renders whose READMEs describe the options the benchmark measures, between them every one.
RENDERS: dict[str, dict[str, str]] = {
    "default": {},
    "measured options": {
        "auth": "jwt",
        "tracing": "opentelemetry",
        "ml_serving": "yes",
        "event_broker": "kafka",
        "event_archive": "s3",
        "aws_lambda": "yes",
    },
    "registry": {"service_registry": "server", "database": "postgresql", "auth": "api_key"},
    "no database": {"database": "none", "event_broker": "redis", "service_registry": "client"},
}


def results() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((RESULTS / "latest.json").read_text("utf-8"))
    return loaded


def generated_part(text: str) -> str:
    """What the benchmark wrote between the markers."""
    start, end = text.index(report.START), text.index(report.END)
    return text[start + len(report.START) : end]


def without_generated_part(text: str) -> str:
    if report.START not in text:
        return text
    start, end = text.index(report.START), text.index(report.END)
    return text[:start] + text[end + len(report.END) :]


def section(text: str, heading: str) -> str:
    """A ``## `` section of a Markdown page, from its heading to the next one."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def measured_figures() -> set[str]:
    """The figures of the benchmark's tables that are measurements: every number in a cell but
    the row's label and the target's verdict, with a decimal point or at least three digits (so
    that small counts such as a worker's number do not count)."""
    figures: set[str] = set()
    for line in report.markdown(results()).splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2:
            continue
        for cell in cells[1:]:
            if any(word in cell for word in ("met", "missed", "baseline")):
                continue
            for number in NUMBER.findall(cell):
                plain = number.replace(",", "")
                if "." in plain or len(plain) >= 3:
                    figures.add(plain)
    return figures


def hand_typed_figures(text: str, figures: set[str]) -> list[str]:
    """Benchmark figures in ``text``: any ratio, memory or rate, and any measured figure of the
    benchmark's results with its unit."""
    found = [match.group(0) for match in BENCHMARK_FIGURE.finditer(text)]
    for match in MEASURED.finditer(text):
        if match.group(1).replace(",", "") in figures:
            found.append(match.group(0))
    return found


def pages() -> Iterator[Path]:
    yield README
    yield from sorted(DOCS.rglob("*.md"))


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """Broken links, missing anchors and pages left out of the nav fail the build."""
    site = tmp_path / "site"
    result = subprocess.run(
        [find_tool("mkdocs"), "build", "--strict", "--site-dir", str(site)],
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # (a notice about MkDocs 2)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "index.html").is_file()
    assert (site / "options" / "database" / "index.html").is_file()


def test_readme_is_a_short_front_door_with_its_commands() -> None:
    text = README.read_text("utf-8")
    assert len(text.encode("utf-8")) <= README_MOST_BYTES
    for marker in COMMAND_MARKERS:
        # .ci/run and users copy the one line of the block after the marker.
        blocks = re.findall(rf"<!-- {marker} -->\n```sh\n([^\n`]+)\n```\n", text)
        assert len(blocks) == 1, marker
        assert text.count(f"<!-- {marker} -->") == 1, marker


def test_readme_answers_table_matches_cookiecutter_json() -> None:
    table = [
        line
        for line in section(README.read_text("utf-8"), "Answers").splitlines()
        if line.startswith("| `")
    ]
    rows = {}
    for line in table:
        answer, default, _ = (cell.strip() for cell in line.strip("|").split("|", 2))
        rows[answer.strip("`")] = (default, line)
    assert list(rows) == list(QUESTIONS), "one row per question, in the order they are asked"

    defaults = prompt_for_config({"cookiecutter": CONTEXT}, no_input=True)
    for answer, (default, line) in rows.items():
        value = defaults[answer]
        shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        first = re.match(r"`([^`]*)`", default)
        assert first is not None, line
        assert first[1] == shown, line
        if isinstance(QUESTIONS[answer], list):
            for choice in QUESTIONS[answer]:
                assert f"`{choice}`" in line, (choice, line)
        assert len(line) <= ANSWERS_ROW_MOST_CHARS, line

    linked = "\n".join(table)
    for page in sorted((DOCS / "options").glob("*.md")):
        assert f"(docs/options/{page.name})" in linked, page.name


def layout_tree() -> list[tuple[str, str]]:
    """The tree on the architecture page: each path (a folder's ends with ``/``) under the
    project, and its comment. A child is indented two spaces more than its folder."""
    text = ARCHITECTURE_PAGE.read_text("utf-8")
    block = text[text.index(LAYOUT_MARKER) :]
    lines = block.split("```")[1].splitlines()[1:]
    root, *entries = lines
    parents: list[tuple[int, str]] = [(0, "")]
    tree = [(root, "")]
    for line in entries:
        match = re.fullmatch(r"( *)(\S+)(?: {2,}(.*))?", line)
        assert match is not None, line
        indent, name, comment = len(match[1]), match[2], match[3] or ""
        while parents[-1][0] >= indent:
            parents.pop()
        path = parents[-1][1] + name
        tree.append((path, comment))
        if name.endswith("/"):
            parents.append((indent, path))
    return tree


def option_of(comment: str) -> tuple[str, str] | None:
    """``(answer=value)`` or ``(answer)`` starting a comment: the path is there only with that
    answer (with ``(answer)``, any value but the default)."""
    match = re.match(r"\((\w+)(?:=([\w.-]+))?\)", comment)
    return None if match is None else (match[1], match[2] or "")


def test_layout_tree_matches_a_render(tmp_path: Path) -> None:
    project = bake(tmp_path, {"init_git": False})
    package = recorded_answers(project)["package_name"]
    (root, _), *tree = layout_tree()
    assert root == f"{project.name}/"

    listed: set[str] = set()
    for path, comment in tree:
        relative = path.rstrip("/")
        listed.update(str(parent) for parent in [Path(relative), *Path(relative).parents])
        option = option_of(comment)
        if option is None:
            rendered = project / relative
            assert rendered.is_dir() if path.endswith("/") else rendered.is_file(), path
            continue
        answer, value = option
        assert answer in QUESTIONS, comment
        choices = QUESTIONS[answer]
        assert isinstance(choices, list), comment
        assert value in (choices[1:] if value else [""]), comment
        assert not (project / relative).exists(), f"{path} is in the default render"
        in_template = relative.replace(f"src/{package}", "src/{{cookiecutter.package_name}}", 1)
        assert (PROJECT_TEMPLATE / in_template).exists(), path

    top_level = {path.name for path in project.iterdir()} - NOT_RENDERED
    assert top_level - listed == set(), "missing from the tree"
    in_package = {f"src/{package}/{path.name}" for path in (project / "src" / package).iterdir()}
    assert in_package - listed == set(), "missing from the tree"


def paragraph_after(marker: str, text: str) -> str:
    """The paragraph after ``marker``, its whitespace collapsed."""
    return " ".join(text.split(marker, 1)[1].strip().split("\n\n", 1)[0].split())


def test_pipeline_order_is_the_rendered_readmes() -> None:
    """The rendered README's order is kept equal to ``pipeline/order.py`` by its own test."""
    rendered = (PROJECT_TEMPLATE / "README.md").read_text("utf-8")
    documented = ARCHITECTURE_PAGE.read_text("utf-8")
    assert paragraph_after(PIPELINE_ORDER_MARKER, documented) == paragraph_after(
        PIPELINE_ORDER_MARKER, rendered
    )


def test_generated_figures_are_what_the_report_writes() -> None:
    measured = results()
    for page, generated in (
        (BENCHMARKS_PAGE, report.markdown(measured)),
        (README, report.headline(measured)),
    ):
        text = page.read_text("utf-8")
        assert generated_part(text) == "\n" + generated, f"run the report into {page.name}"
        assert report.between_markers(text, generated) == text
    assert (RESULTS / "latest.md").read_text("utf-8") == report.markdown(measured)


def test_benchmark_prose_has_only_the_generated_figures() -> None:
    """Outside the generated part, the benchmarks page and the README's Performance section
    name no number that the generated part does not hold (commands aside)."""
    for page, prose in (
        (BENCHMARKS_PAGE, BENCHMARKS_PAGE.read_text("utf-8")),
        (README, section(README.read_text("utf-8"), "Performance")),
    ):
        generated = set(NUMBER.findall(generated_part(prose)))
        words = FENCED.sub("", without_generated_part(prose))
        assert set(NUMBER.findall(words)) - generated == set(), page.name


@pytest.mark.parametrize("page", list(pages()), ids=lambda page: page.name)
def test_pages_type_no_benchmark_figures(page: Path) -> None:
    text = without_generated_part(page.read_text("utf-8"))
    assert hand_typed_figures(text, measured_figures()) == [], page.name


@pytest.mark.parametrize("answers", list(RENDERS.values()), ids=list(RENDERS))
def test_rendered_readmes_quote_no_template_benchmark(
    answers: dict[str, str], tmp_path: Path
) -> None:
    """A rendered service's READMEs speak of that service: the template's benchmark and its
    figures belong to the template's docs."""
    project = bake(tmp_path, {**answers, "init_git": False})
    readmes = sorted(project.rglob("README.md"))
    assert readmes
    figures = measured_figures()
    for readme in readmes:
        text = readme.read_text("utf-8")
        assert re.search(r"benchmark", text, re.IGNORECASE) is None, readme
        assert hand_typed_figures(text, figures) == [], readme


def test_the_changelogs_top_entry_is_the_templates_version() -> None:
    """Every render records ``_template_version``; the CHANGELOG says what that version brings."""
    versions = re.findall(r"^## (\S+)", (TEMPLATE_DIR / "CHANGELOG.md").read_text(), re.MULTILINE)

    assert versions, "CHANGELOG.md has no version entry"
    assert versions[0] == CONTEXT["_template_version"]
