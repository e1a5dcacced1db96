"""One bot process per SQLite file, and none beside another poller of the same token.
On PostgreSQL several instances share the database (webhooks behind a load balancer) and
take no lock: reminders and broadcasts are claimed row by row there, each claim naming its
instance and held for a lease (``Lease``; bot/leases.py takes over a dead one's).

The lock is an exclusive flock on a file beside the database rather than a lease row in
it: the kernel releases it the moment the process dies, kill -9 included, so a restart
never waits for a lease to expire and no clock or heartbeat is involved. SQLite in WAL
mode already needs every process on one host (shared memory), which is where flock works.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import math
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)

# 409s in a row from getUpdates before the bot gives way: one can be the previous
# process's last long poll, still open at Telegram while this one starts.
CONFLICTS_TO_STOP = 3
CONFLICT_PAUSE = 1.0
# How long a claim holds without renewal (CLAIM_LEASE): a dead instance's claims are taken
# over after at most this long.
CLAIM_LEASE = 60.0


def instance_id() -> str:
    """This process among the instances: host and pid say where to look, the random part
    keeps it unique when a container restarts with the same pid."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class Lease:
    """Who claims (this instance) and for how long a claim holds without renewal."""

    owner: str
    seconds: float = CLAIM_LEASE

    def until(self, now: float) -> int:
        """The end of a lease taken or renewed at ``now`` (unix seconds)."""
        return math.ceil(now + self.seconds)

    @property
    def sweep_every(self) -> float:
        # Four renewals per lease: a live instance loses its claims only after missing all.
        return self.seconds / 4


class AlreadyRunning(Exception):
    """Another process holds the database's lock."""


class InstanceLock:
    def __init__(self, database_path: Path) -> None:
        self.path = database_path.with_name(database_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(f"another bot process (pid {holder}) is using DATABASE_PATH={self.path.with_suffix('')}"
                                 "; only one may run per database: stop it first") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


class ConflictGuard(BaseRequestMiddleware):
    """Stops the bot after CONFLICTS_TO_STOP 409 Conflict answers to getUpdates in a row:
    another process polls with the same token, and both would answer the same users.

    The 409s are answered here as empty polls, so aiogram's loop logs nothing and the one
    line saying why the bot stops is the only one."""

    def __init__(self, stop: Callable[[], object]) -> None:
        self.stop = stop
        self.conflicts = 0
        self.stopped = False

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        try:
            response = await make_request(bot, method)
        except TelegramConflictError:
            self.conflicts += 1
            if self.conflicts >= CONFLICTS_TO_STOP and not self.stopped:
                self.stopped = True
                log.error("Stopping: another process is polling Telegram with this BOT_TOKEN "
                          "(409 Conflict from getUpdates %d times in a row); only one may run", self.conflicts)
                self.stop()
            await asyncio.sleep(CONFLICT_PAUSE)
            # A middleware returns the call's result: for getUpdates, the list of updates.
            return cast("Response[TelegramType]", [])
        self.conflicts = 0
        return response
