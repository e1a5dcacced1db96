from datetime import UTC, datetime, timedelta

import pytest

from flows.reminders import (
    MAX_SLEEP,
    SNOOZE_BUTTONS,
    Delivery,
    Snooze,
    delivery,
    next_wake,
    snooze_due,
)

DUE = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(DUE - timedelta(days=1), Delivery.WAIT, id="a-day-early"),
        pytest.param(DUE - timedelta(microseconds=1), Delivery.WAIT, id="just-before"),
        pytest.param(DUE, Delivery.SEND_NOW, id="on-time"),
        pytest.param(DUE + timedelta(seconds=5), Delivery.SEND_NOW, id="5s-late"),
        pytest.param(DUE + timedelta(seconds=60), Delivery.SEND_NOW, id="60s-late"),
        pytest.param(DUE + timedelta(seconds=61), Delivery.SEND_LATE, id="61s-late"),
        pytest.param(DUE + timedelta(hours=5), Delivery.SEND_LATE, id="bot-down-5h"),
        pytest.param(DUE + timedelta(days=7), Delivery.SEND_LATE, id="7-days-late"),
        pytest.param(DUE + timedelta(days=7, seconds=1), Delivery.DROP, id="over-7-days"),
        pytest.param(DUE + timedelta(days=30), Delivery.DROP, id="a-month-late"),
    ],
)
def test_delivery(now: datetime, expected: Delivery) -> None:
    assert delivery(DUE, now) is expected


def test_delivery_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        delivery(DUE.replace(tzinfo=None), DUE)


@pytest.mark.parametrize(
    ("option", "delay"),
    [
        (Snooze.HOUR, timedelta(hours=1)),
        (Snooze.DAY, timedelta(days=1)),
        ("1h", timedelta(hours=1)),
    ],
)
def test_snooze_counts_from_the_press(option: str, delay: timedelta) -> None:
    pressed = DUE + timedelta(days=2, minutes=7)
    assert snooze_due(option, pressed) == pressed + delay


def test_unknown_snooze_is_rejected() -> None:
    with pytest.raises(ValueError):
        snooze_due("1w", DUE)


def test_every_snooze_has_a_button() -> None:
    assert set(SNOOZE_BUTTONS) == set(Snooze)


@pytest.mark.parametrize(
    ("due_times", "seconds"),
    [
        pytest.param([], MAX_SLEEP.total_seconds(), id="nothing-pending"),
        pytest.param([DUE + timedelta(seconds=90)], 90.0, id="one"),
        pytest.param(
            [DUE + timedelta(hours=3), DUE + timedelta(seconds=12.5)],
            12.5,
            id="earliest-wins",
        ),
        pytest.param([DUE + timedelta(days=2)], 3600.0, id="capped"),
        pytest.param([DUE + timedelta(minutes=60)], 3600.0, id="exactly-the-cap"),
        pytest.param([DUE - timedelta(minutes=5), DUE + timedelta(minutes=5)], 0.0, id="overdue"),
        pytest.param([DUE], 0.0, id="due-now"),
    ],
)
def test_next_wake(due_times: list[datetime], seconds: float) -> None:
    assert next_wake(due_times, DUE) == seconds


def test_next_wake_accepts_a_generator() -> None:
    assert next_wake((DUE + timedelta(seconds=s) for s in (30, 10, 20)), DUE) == 10.0
