from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.tools import put_tools_on_path


def pytest_configure(config: pytest.Config) -> None:
    """Find the suite's tools (uv, poetry, ...) as the benchmark does, keep cookiecutter's
    replay files and clones out of the user's home folder, and have xdist hand out tests one
    by one (by default it sends each worker a quarter of its share at once, so the long tests,
    sorted first, would all go to the first worker)."""
    put_tools_on_path()
    if config.pluginmanager.hasplugin("xdist") and config.option.maxschedchunk is None:
        config.option.maxschedchunk = 1
    if "COOKIECUTTER_CONFIG" not in os.environ:
        base = Path(config.rootpath) / ".cache" / "cookiecutter"
        base.mkdir(parents=True, exist_ok=True)
        settings = base / "config.yaml"
        text = f"replay_dir: '{base / 'replay'}'\ncookiecutters_dir: '{base / 'clones'}'\n"
        partial = base / f"config.{os.getpid()}.tmp"
        partial.write_text(text)
        partial.replace(settings)  # atomic, as xdist workers do this at the same time
        os.environ["COOKIECUTTER_CONFIG"] = str(settings)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """For ``-n auto``: one worker more than there are cores, as the rendered projects' own
    suites wait about a third of their time on the servers and brokers they start."""
    return len(os.sched_getaffinity(0)) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, handed out one by one (``pytest_configure``), so that xdist's
    workers share them out at the start and finish together, rather than one running a long
    test alone at the end."""
    items.sort(key=length_rank)


def length_rank(item: pytest.Item) -> int:
    """0 for a rendered project's own suite (minutes each); 1 for the other long tests (installs
    over the network, integrations of several services, the benchmark); 2 for the rest."""
    if item.name.endswith("+pytest]"):
        return 0
    module = item.nodeid.split("::")[0]
    if item.get_closest_marker("slow") or module.endswith("_integration.py"):
        return 1
    return 2
