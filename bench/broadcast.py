"""A broadcast to many users through the real broadcaster, repository and RateLimiter, over
HTTP to a fake Bot API server that takes 50 ms per call and answers one copyMessage with 429.

    python bench/broadcast.py [--users 10000] [--rate 25] [--latency 0.05]

The server runs in a child process, so the peak memory printed is the bot's own. Prints the
achieved messages per second (target ≥ 95% of the rate), the peak RSS (target < 150 MB) and
the time one 429 with retry_after=1 cost. 10,000 users at 25/s take about 400 s.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import ClientSession, web

ADMIN = 1


# --- the fake Bot API server (child process) -------------------------------------------------


def serve(latency: float, fail_at: int) -> None:
    """Answer every call after ``latency`` seconds; the ``fail_at``-th copyMessage gets 429."""
    copies: list[float] = []  # when each copyMessage arrived (monotonic)

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        await request.read()
        await asyncio.sleep(latency)
        if method == "copyMessage":
            copies.append(time.monotonic())
            if len(copies) == fail_at:
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": "Too Many Requests: retry after 1",
                                          "parameters": {"retry_after": 1}}, status=429)
            return web.json_response({"ok": True, "result": {"message_id": 1}})
        return web.json_response({"ok": True, "result": True})

    async def report(request: web.Request) -> web.Response:
        return web.json_response({"copies": copies})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/report", report)
        app.router.add_route("*", "/bot{token}/{method}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


# --- the bot side ----------------------------------------------------------------------------


async def broadcast(users: int, rate: float, port: int) -> dict[str, float]:
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.app import create_bot
    from bot.broadcaster import Broadcaster
    from bot.config import Settings
    from bot.db import open_database
    from bot.i18n import create_i18n
    from bot.ratelimit import RateLimiter
    from bot.repositories.broadcasts import BroadcastsRepository
    from bot.repositories.users import UsersRepository
    from flows.admin import Audience
    from flows.checklist import item_ids

    imported_mb = peak_rss_mb()  # aiogram's pydantic models alone take most of it
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, database_path=Path(folder) / "bench.sqlite3", broadcast_rate=rate)
        db = await open_database(settings.database_path)
        await db.write_many("INSERT INTO users (id, first_seen, last_seen) VALUES (?, 0, 0)",
                            ((uid,) for uid in range(1000, 1000 + users)))
        repository = BroadcastsRepository(db, "en", item_ids())
        job = await repository.create(ADMIN, ADMIN, 1, Audience("all"), ADMIN, 2)
        session = AiohttpSession()
        session.api = TelegramAPIServer.from_base(base)
        bot = create_bot(settings, session=session, token="123:bench")
        broadcaster = Broadcaster(repository, UsersRepository(db), RateLimiter(rate), create_i18n("en"), "en")
        began = time.monotonic()
        await broadcaster.launch(bot, job.id)
        await broadcaster.wait()
        elapsed = time.monotonic() - began
        progress = await repository.progress(job.id)
        await session.close()
        await db.close()
    async with ClientSession() as client, client.get(f"{base}/report") as response:
        report = await response.json()
    copies = report["copies"]
    # The 429 shows as the one long silence between two calls; one interval of it was due anyway.
    longest_gap = max(later - earlier for earlier, later in itertools.pairwise(copies))
    return {"sent": progress.sent, "failed": progress.failed, "elapsed": elapsed, "imported_mb": imported_mb,
            "rate": (len(copies) - 1) / (copies[-1] - copies[0]), "lost_to_429": longest_gap - 1 / rate,
            "calls": len(copies)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE, messages per second")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server takes per call")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fail-at", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.latency, args.fail_at)
        return 0

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--latency", str(args.latency), "--fail-at", str(args.users // 2)],
        stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        figures = asyncio.run(broadcast(args.users, args.rate, port))
    finally:
        server.terminate()
        server.wait()
    peak_mb = peak_rss_mb()
    achieved = figures["rate"]
    print(f"{args.users} recipients, BROADCAST_RATE {args.rate:g}/s, {args.latency * 1000:.0f} ms per call, "
          f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}")
    print(f"sent {figures['sent']:.0f}, failed {figures['failed']:.0f}, copyMessage calls {figures['calls']:.0f} "
          f"(one was the 429), {figures['elapsed']:.1f} s in all")
    print(f"achieved {achieved:.2f} messages/s = {100 * achieved / args.rate:.1f}% of the rate (target ≥ 95%)")
    span = (figures["calls"] - 1) / achieved
    print(f"without the 429's pause: {(figures['calls'] - 1) / (span - figures['lost_to_429']):.2f} messages/s")
    print(f"peak RSS {peak_mb:.1f} MB (target < 150 MB); after the imports, before any work: "
          f"{figures['imported_mb']:.1f} MB, so the broadcast itself added {peak_mb - figures['imported_mb']:.1f} MB")
    print(f"time lost to one 429 (retry_after=1): {figures['lost_to_429']:.2f} s")
    checks = {"rate": achieved >= 0.95 * args.rate, "memory": peak_mb < 150, "delivery": figures["sent"] == args.users}
    print("targets: " + ", ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in checks.items()))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
