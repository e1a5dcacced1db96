"""The fake Bot API server behaves as Telegram's does where the end-to-end tests rely on it."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.fake_telegram import FakeTelegram, Fault

TOKEN = "42:secret"
USER = {"id": 7, "is_bot": False, "first_name": "U"}


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(client: aiohttp.ClientSession, server: FakeTelegram, method: str,
               token: str = TOKEN, **params: Any) -> tuple[int, dict[str, Any]]:
    form = {key: value if isinstance(value, str) else json.dumps(value) for key, value in params.items()}
    async with client.post(f"{server.base_url}/bot{token}/{method}", data=form) as response:
        return response.status, await response.json()


def push_messages(server: FakeTelegram, count: int) -> list[int]:
    updates = [server.api.user_message(USER, f"m{number}") for number in range(count)]
    for update in updates:
        server.push(update)
    return [update["update_id"] for update in updates]


async def test_wrong_token_is_unauthorized(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    assert await call(client, server, "getMe", token="42:wrong") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded", "json", "query"])
async def test_every_body_encoding_reaches_the_api(
    server: FakeTelegram, client: aiohttp.ClientSession, encoding: str,
) -> None:
    url = f"{server.base_url}/bot{TOKEN}/sendMessage"
    params = {"chat_id": "7", "text": "<b>hi</b> &amp; bye", "parse_mode": "HTML"}
    if encoding == "multipart":
        form = aiohttp.FormData(params, default_to_multipart=True)
        request = client.post(url, data=form)
    elif encoding == "urlencoded":
        request = client.post(url, data=params)
    elif encoding == "json":
        request = client.post(url, json={**params, "chat_id": 7})
    else:
        request = client.get(url, params=params)
    async with request as response:
        assert response.status == 200, await response.text()
    assert server.api.shown[-1].text == "hi & bye"
    assert server.calls[-1].params["chat_id"] == "7"


async def test_api_errors_pass_through(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    status, body = await call(client, server, "sendMessage", chat_id=7, text="<b>open", parse_mode="HTML")
    assert status == 400 and body["description"].startswith("Bad Request: can't parse entities")


async def test_offset_confirms_and_unconfirmed_come_again(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    ids = push_messages(server, 3)
    assert [u["update_id"] for u in (await call(client, server, "getUpdates", limit=2))[1]["result"]] == ids[:2]
    # Not confirmed yet: a restart that asks again gets them again.
    assert [u["update_id"] for u in (await call(client, server, "getUpdates"))[1]["result"]] == ids
    result = (await call(client, server, "getUpdates", offset=ids[1] + 1))[1]["result"]
    assert [u["update_id"] for u in result] == ids[2:]
    assert [u["update_id"] for u in server.pending] == ids[2:]


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    server: FakeTelegram, client: aiohttp.ClientSession,
) -> None:
    began = time.monotonic()
    poll = asyncio.create_task(call(client, server, "getUpdates", timeout=10))
    await server.wait_for(lambda: server.polls_waiting == 1, 2)
    ids = push_messages(server, 1)
    status, body = await asyncio.wait_for(poll, 2)
    assert status == 200 and [u["update_id"] for u in body["result"]] == ids
    assert time.monotonic() - began < 2


async def test_long_poll_times_out_empty(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    began = time.monotonic()
    assert await call(client, server, "getUpdates", timeout=1) == (200, {"ok": True, "result": []})
    assert 0.9 < time.monotonic() - began < 3


async def test_a_newer_poll_ends_the_older_with_conflict(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    older = asyncio.create_task(call(client, server, "getUpdates", timeout=10))
    await server.wait_for(lambda: server.polls_waiting == 1, 2)
    assert await call(client, server, "getUpdates") == (200, {"ok": True, "result": []})
    status, body = await asyncio.wait_for(older, 2)
    assert (status, body["error_code"]) == (409, 409)


async def test_client_leaving_a_long_poll_is_no_error(
    server: FakeTelegram, client: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    poll = asyncio.create_task(call(client, server, "getUpdates", timeout=10))
    await server.wait_for(lambda: server.polls_waiting == 1, 2)
    poll.cancel()
    await server.wait_for(lambda: server.polls_waiting == 0, 2, "the abandoned poll to end")
    ids = push_messages(server, 1)
    body = (await call(client, server, "getUpdates"))[1]
    assert [u["update_id"] for u in body["result"]] == ids
    assert [record.getMessage() for record in caplog.records if record.name.startswith("aiohttp")] == []


async def test_injected_fault_answers_then_expires(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    server.inject("sendMessage", Fault(status=429, description="Too Many Requests: retry after 3", retry_after=3))
    status, body = await call(client, server, "sendMessage", chat_id=7, text="a")
    assert (status, body["parameters"]) == (429, {"retry_after": 3})
    status, _ = await call(client, server, "sendMessage", chat_id=7, text="a")
    assert status == 200


async def test_wait_for_fails_with_what_was_shown(server: FakeTelegram, client: aiohttp.ClientSession) -> None:
    await call(client, server, "sendMessage", chat_id=7, text="visible text")
    with pytest.raises(AssertionError, match="visible text"):
        await server.wait_for(lambda: False, 0.1, "nothing")
