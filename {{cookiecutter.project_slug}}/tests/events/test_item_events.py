"""The items example tells its changes as events, through the real broker."""

import json

import pytest
from fastapi.testclient import TestClient

from support.events import EventBroker
from support.waiting import eventually

ITEMS = "/api/v1/items"


def ready(client: TestClient) -> bool:
    return client.get("/health/ready").status_code == 200


def test_each_change_of_an_item_is_one_event_in_order(
    client: TestClient, broker: EventBroker, events_topic: str
) -> None:
    eventually(lambda: ready(client))
    item = client.post(ITEMS, json={"name": "lamp"}).json()
    client.patch(f"{ITEMS}/{item['id']}", json={"description": "brass"})
    client.delete(f"{ITEMS}/{item['id']}")
    client.post(ITEMS, json={"name": "lamp"})  # taken again: a new item, its own subject

    records = broker.consumed(events_topic, 4)
    events = [json.loads(record.payload) for record in records]
    first = [event for event in events if event["subject"] == str(item["id"])]

    assert [event["type"] for event in first] == ["item.created", "item.updated", "item.deleted"]
    assert first[0]["data"] == item
    assert first[1]["data"]["description"] == "brass"
    assert first[2]["data"] == {"id": item["id"]}
    assert {event["source"] for event in events} == {"{{ cookiecutter.project_slug }}"}
    assert len({event["id"] for event in events}) == 4
    keys = [record.subject for record in records]
    assert keys == [event["subject"] for event in events]


def test_a_refused_change_tells_nothing(
    client: TestClient, broker: EventBroker, events_topic: str
) -> None:
    eventually(lambda: ready(client))
    client.post(ITEMS, json={"name": "lamp"})
    refused = client.post(ITEMS, json={"name": "lamp"})
    client.post(ITEMS, json={"name": "desk"})

    with pytest.raises(AssertionError, match="2 of 3 events arrived"):
        broker.consumed(events_topic, 3, seconds=8)
    records = broker.consumed(events_topic, 2)

    assert refused.status_code == 409
    assert {json.loads(record.payload)["data"]["name"] for record in records} == {"lamp", "desk"}
