import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.ratelimit import RateLimiter


class FakeTime:
    """A clock and a sleep that never really sleep.

    ``run`` drives the given coroutines: whenever every task is blocked on ``sleep``, the
    clock jumps to the earliest wake-up and those sleepers resume, in wake-up order.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        await future

    async def _settle(self) -> None:
        for _ in range(50):
            await asyncio.sleep(0)

    async def run(self, *coros: Awaitable[Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(coro) for coro in coros]
        while True:
            await self._settle()
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            assert self._sleepers, "deadlock: tasks blocked on something else than sleep"
            wake_at = self._sleepers[0][0]
            self.now = max(self.now, wake_at)
            while self._sleepers and self._sleepers[0][0] <= wake_at:
                heapq.heappop(self._sleepers)[2].set_result(None)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def limiter(fake: FakeTime, rate: float) -> RateLimiter:
    return RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)


def sender(limiter: RateLimiter, fake: FakeTime, log: list[float]) -> Callable[[], Awaitable[None]]:
    async def send() -> None:
        await limiter.acquire()
        log.append(fake.now)

    return send


def assert_spacing(times: list[float], rate: float) -> None:
    gaps = [later - earlier for earlier, later in itertools.pairwise(sorted(times))]
    assert all(gap >= 1 / rate - 1e-9 for gap in gaps), gaps


def max_in_any_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + 1 - 1e-9) for start in ordered)


@pytest.mark.parametrize("rate", [1, 5, 25, 30])
async def test_sequential_sends_are_spaced_at_the_rate(fake: FakeTime, rate: float) -> None:
    rl = limiter(fake, rate)
    log: list[float] = []
    send = sender(rl, fake, log)

    async def loop() -> None:
        for _ in range(3 * rate):
            await send()

    await fake.run(loop())
    assert log[0] == 0.0
    assert log == pytest.approx([i / rate for i in range(3 * rate)])


async def test_idle_limiter_does_not_sleep(fake: FakeTime) -> None:
    rl = limiter(fake, 2)
    await fake.run(rl.acquire())
    fake.now = 10.0  # long idle: nothing owed
    await fake.run(rl.acquire())
    assert fake.sleeps == []


@pytest.mark.parametrize(("rate", "senders"), [(5, 40), (25, 100), (30, 200)])
async def test_concurrent_acquirers_never_exceed_the_rate(
    fake: FakeTime, rate: float, senders: int
) -> None:
    rl = limiter(fake, rate)
    log: list[float] = []
    send = sender(rl, fake, log)
    await fake.run(*(send() for _ in range(senders)))
    assert len(log) == senders
    assert_spacing(log, rate)
    assert max_in_any_second(log) <= rate
    # Even spacing wastes nothing: the last send is exactly where the schedule puts it.
    assert max(log) == pytest.approx((senders - 1) / rate)


async def test_workers_that_send_repeatedly_keep_the_rate(fake: FakeTime) -> None:
    rl = limiter(fake, 10)
    log: list[float] = []
    send = sender(rl, fake, log)

    async def worker() -> None:
        for _ in range(10):
            await send()
            await fake.sleep(0.05)  # the HTTP round trip

    await fake.run(*(worker() for _ in range(4)))
    assert len(log) == 40
    assert_spacing(log, 10)


async def test_pause_delays_every_waiter(fake: FakeTime) -> None:
    rl = limiter(fake, 10)
    log: list[float] = []

    async def send(index: int) -> None:
        await rl.acquire()
        log.append(fake.now)
        if index == 2:
            rl.pause(5)  # the third send got a 429 with retry_after=5

    await fake.run(*(send(i) for i in range(20)))
    assert log[:3] == pytest.approx([0.0, 0.1, 0.2])
    assert len(log) == 20
    assert all(t >= 5.2 for t in log[3:]), log
    assert_spacing(log, 10)


async def test_pause_while_waiters_are_asleep(fake: FakeTime) -> None:
    rl = limiter(fake, 1)
    log: list[float] = []
    send = sender(rl, fake, log)

    async def pause_later() -> None:
        await fake.sleep(2.5)  # three sends done, the rest hold reservations at 3, 4, ...
        rl.pause(10)

    await fake.run(pause_later(), *(send() for _ in range(8)))
    assert log[:3] == [0.0, 1.0, 2.0]
    assert all(t >= 12.5 for t in log[3:]), log
    assert_spacing(log, 1)


async def test_pause_holds_newcomers_too(fake: FakeTime) -> None:
    rl = limiter(fake, 10)
    rl.pause(3)
    log: list[float] = []
    await fake.run(sender(rl, fake, log)())
    assert log == [3.0]


async def test_shorter_pause_does_not_cut_a_longer_one(fake: FakeTime) -> None:
    rl = limiter(fake, 10)
    rl.pause(30)
    rl.pause(1)
    log: list[float] = []
    await fake.run(sender(rl, fake, log)())
    assert log == [30.0]


async def test_zero_pause_allows_no_burst(fake: FakeTime) -> None:
    rl = limiter(fake, 2)
    log: list[float] = []
    send = sender(rl, fake, log)
    await fake.run(send())
    rl.pause(0)
    await fake.run(send(), send())
    assert log == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("rate", [0, -1])
def test_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError):
        RateLimiter(rate)


async def test_defaults_use_the_real_clock() -> None:
    rl = RateLimiter(1000)
    await asyncio.wait_for(asyncio.gather(*(rl.acquire() for _ in range(3))), timeout=1)
