from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.members import registration

SERVICES = "/api/v1/services"


def test_registering_needs_credentials_and_listing_does_not(app: FastAPI) -> None:
    with TestClient(app) as anonymous:
        put = anonymous.put(f"{SERVICES}/billing-1", json=registration("billing", "http://x.test"))
        delete = anonymous.delete(f"{SERVICES}/billing-1")
        listing = anonymous.get(SERVICES, params={"status": "any"})

    assert put.status_code == 401
    assert delete.status_code == 401
    assert put.headers["content-type"] == "application/problem+json"
    assert listing.status_code == 200
    assert listing.json() == []
