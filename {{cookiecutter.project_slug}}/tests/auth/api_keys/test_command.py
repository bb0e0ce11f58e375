"""``api-key new`` prints a key once and the configuration that accepts it."""

import json
import re

import pytest

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.auth.api_keys.scheme import ApiKeys
from {{ cookiecutter.package_name }}.auth.api_keys.settings import ApiKeySettings

from support.auth import TEST_SETTINGS


def test_a_new_key_is_accepted_with_the_printed_configuration(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["api-key", "new", "--scopes", "items:write,reports:read", "--id", "billing"])

    output = capsys.readouterr().out
    key = re.search(r"X-API-Key\): (\S+)", output)
    entry = re.search(r"AUTH_API_KEYS \(a JSON object of every key\): (.+)", output)
    assert key is not None
    assert entry is not None
    configuration = json.loads(entry.group(1))
    assert configuration["billing"]["scopes"] == ["items:write", "reports:read"]
    assert key.group(1).split(".", 1)[1] not in entry.group(1)  # only its hash is configured

    scheme = ApiKeys(TEST_SETTINGS, ApiKeySettings.model_validate({"api_keys": configuration}))
    identity = scheme.authenticate(key.group(1).encode())
    assert identity.subject == "billing"
    assert identity.scopes == {"items:write", "reports:read"}


def test_a_bad_key_id_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="invalid key id"):
        main(["api-key", "new", "--id", "no spaces"])
