import pytest

from my_service.config import Settings
from my_service.rate_limits.rules import Limit, Rules, parse_limits

from support.settings import refusal


def test_limits_are_read_in_the_limits_notation() -> None:
    assert parse_limits("10/second;100/minute") == (
        Limit(10, 1, "10/1s"),
        Limit(100, 60, "100/60s"),
    )
    assert parse_limits("5 per 2 hours") == (Limit(5, 7200, "5/7200s"),)


def test_a_route_entry_matches_its_template_and_method_only() -> None:
    rules = Rules({"GET /api/v1/items/{item_id}": "1/second"})

    assert rules.match("GET", "/api/v1/items/7") is not None
    assert rules.match("PATCH", "/api/v1/items/7") is None
    assert rules.match("GET", "/api/v1/items") is None
    assert rules.match("GET", "/api/v1/items/7/more") is None


def test_the_default_covers_the_rest_but_never_the_probes_or_metrics() -> None:
    rules = Rules({"POST /api/v1/items": "1/second", "default": "100/second"})

    post = rules.match("POST", "/api/v1/items")
    assert post is not None
    assert post.key == "POST /api/v1/items"
    default = rules.match("GET", "/anything")
    assert default is not None
    assert default.key == "default"
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert rules.match("GET", path) is None


def test_no_entries_no_rules() -> None:
    assert not Rules({})
    assert Rules({"default": "1/second"})


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ('{"default": "many"}', "is not a limit"),
        ('{"default": "0/second"}', "allows no request"),
        ('{"FETCH /items": "1/second"}', "neither 'default' nor 'METHOD /route/template'"),
        ('{"GET items": "1/second"}', "neither 'default' nor 'METHOD /route/template'"),
        ('["1/second"]', "RATE_LIMITS"),
    ],
)
def test_a_bad_setting_stops_startup_with_one_line(
    monkeypatch: pytest.MonkeyPatch, value: str, complaint: str
) -> None:
    message = refusal(monkeypatch, Settings, {"RATE_LIMITS": value})

    assert message.startswith("invalid setting RATE_LIMITS")
    assert complaint in message
