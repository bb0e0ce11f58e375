"""A load test: clients reading and changing items, as a deployed service sees them.

``make load-test URL=https://...`` runs it headless against a container or the Lambda function
for a bounded time, then prints requests per second, response time percentiles and failures
(and exits non-zero if any request failed). Most clients read; some write. Writes send the
headers in ``LOAD_TEST_HEADERS`` (a JSON object), for a service that asks for credentials.
"""

import json
import os
import random
from typing import Any

from locust import FastHttpUser, between, task

ITEMS = "/api/v1/items"
ITEM = ITEMS + "/{item_id}"  # requests to one item are reported together, by route
HEADERS: dict[str, str] = json.loads(os.environ.get("LOAD_TEST_HEADERS") or "{}")


def unique_name() -> str:
    """Item names are unique: a name taken is a 409."""
    return f"load test {random.randrange(10**12)}"  # noqa: S311 (not for security)


class ItemsClient(FastHttpUser):
    """One client: lists and reads items mostly, creates, renames and deletes its own."""

    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        self.own: list[int] = []
        self.create()

    @task(6)
    def list_items(self) -> None:
        self.client.get(f"{ITEMS}?limit=20", name=f"{ITEMS}?limit=")

    @task(4)
    def read_item(self) -> None:
        if self.own:
            item = random.choice(self.own)  # noqa: S311 (not for security)
            self.client.get(f"{ITEMS}/{item}", name=ITEM)

    @task(2)
    def create(self) -> None:
        body = {"name": unique_name(), "description": "made under load"}
        with self.client.post(ITEMS, json=body, headers=HEADERS, catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"create answered {response.status_code}")
                return
            item: dict[str, Any] = response.json()
            self.own.append(item["id"])

    @task(1)
    def rename(self) -> None:
        if self.own:
            item = random.choice(self.own)  # noqa: S311
            self.client.patch(
                f"{ITEMS}/{item}", json={"name": unique_name()}, headers=HEADERS, name=ITEM
            )

    @task(1)
    def delete(self) -> None:
        if len(self.own) > 1:
            item = self.own.pop()
            self.client.delete(f"{ITEMS}/{item}", headers=HEADERS, name=ITEM)
