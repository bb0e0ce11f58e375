"""Settings from variables a test sets, and the one line that refuses bad ones."""

from collections.abc import Mapping

import pytest
from pydantic_settings import BaseSettings

from my_service.config import SettingsError, load


def set_variables(monkeypatch: pytest.MonkeyPatch, variables: Mapping[str, str]) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def refusal(
    monkeypatch: pytest.MonkeyPatch,
    settings_class: type[BaseSettings],
    variables: Mapping[str, str],
) -> str:
    """What stops startup when the environment holds ``variables``: one line."""
    set_variables(monkeypatch, variables)
    with pytest.raises(SettingsError) as stop:
        load(settings_class)
    assert "\n" not in str(stop.value)
    return str(stop.value)
