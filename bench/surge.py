"""A surge: many distinct users send /start at the same moment to ``python -m bot``, which talks
HTTP to the fake Bot API server enforcing Telegram's flood control (30 messages a second in
all, about one a second per chat; over that, 429 with retry_after).

    python bench/surge.py [--users 300] [--global-rate 30]

Prints how many were answered, the time to the last answer (Telegram's rate makes
users / 30 seconds the floor, 10 s for 300), the 429s met and the calls that ignored one.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e_bot import TOKEN, BotRunner
from tests.fake_telegram import FakeTelegram, TelegramLimits


async def surge(users: int, global_rate: int) -> dict[str, float]:
    async with FakeTelegram(TOKEN) as server:
        with tempfile.TemporaryDirectory() as folder:
            runner = BotRunner(server, Path(folder))
            await runner.start()
            try:
                server.limits = TelegramLimits(per_second=global_rate)
                ids = [50_000 + n for n in range(users)]
                began = time.monotonic()
                for user_id in ids:
                    user = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "zh-hans"}
                    server.push(server.api.user_message(user, "/start"))

                def answered() -> set[int]:
                    return {item.chat_id for item in server.api.shown if item.kind == "message"}

                await server.wait_for(lambda: set(ids) <= answered(), 300, "every answer")
                last = max(call.at for call in server.calls_of("sendMessage") if call.status == 200)
                return {"answered": len(set(ids) & answered()), "last": last - began,
                        "floods": server.limits.floods, "ignored": server.limits.ignored}
            finally:
                await runner.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--global-rate", type=int, default=30, help="what the fake Telegram allows a second")
    args = parser.parse_args()
    figures = asyncio.run(surge(args.users, args.global_rate))
    print(f"{figures['answered']}/{args.users} users answered; the last answer {figures['last']:.1f} s "
          f"after the surge (floor at {args.global_rate}/s: {args.users / args.global_rate:.1f} s)")
    print(f"429s met: {figures['floods']}; calls that ignored a retry_after: {figures['ignored']}")


if __name__ == "__main__":
    main()
