"""Refresh tokens past their idle or absolute end, in Redis: each key expires with its token."""

from fastapi.testclient import TestClient

from redis import Redis

from support.accounts import add_user, assert_refused, login, refresh
from support.redis import URL


def token_keys(redis: Redis, prefix: str) -> list[bytes]:
    return list(redis.scan_iter(match=f"{prefix}accounts:token:*"))


def test_an_expired_refresh_token_is_refused(anonymous: TestClient, redis_prefix: str) -> None:
    add_user(anonymous)
    idle = login(anonymous).json()["refresh_token"]
    with Redis.from_url(URL) as redis:
        for key in token_keys(redis, redis_prefix):
            assert 0 < redis.ttl(key) <= 14 * 86_400 + 1  # ACCOUNTS_REFRESH_IDLE_SECONDS
            redis.pexpireat(key, 1)  # its idle time is up: a time past deletes it at once
        assert_refused(refresh(anonymous, idle))

        ended = login(anonymous).json()["refresh_token"]
        for key in token_keys(redis, redis_prefix):
            redis.hset(key, "end", 946_684_800)  # the login ended in 2000
        assert_refused(refresh(anonymous, ended))


def test_a_spent_token_is_kept_until_its_login_ends(
    anonymous: TestClient, redis_prefix: str
) -> None:
    add_user(anonymous)
    first = login(anonymous).json()["refresh_token"]
    refresh(anonymous, first)

    with Redis.from_url(URL) as redis:
        ttls = sorted(redis.ttl(key) for key in token_keys(redis, redis_prefix))

    assert len(ttls) == 2
    assert ttls[1] > 29 * 86_400  # the spent one: till the family's end, 30 days
