"""``python -m bot`` runs the bot with long polling; ``python -m bot chat`` runs it locally."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings, secrets
from bot.db import DatabaseOpenError, MigrationError
from bot.logs import Redactor, say, setup_logging

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher
    from aiohttp import web

    from bot.middlewares import InFlight

# aiogram takes seconds to import; it is imported only once the settings are known to be
# good, so that a wrong setting or a missing token is reported at once.

log = logging.getLogger("bot")

NO_TOKEN = """BOT_TOKEN is not set, so the bot cannot connect to Telegram.

To get a token: open Telegram, talk to @BotFather, send /newbot and follow the steps.
Then run:   BOT_TOKEN=123456:ABC... python -m bot   (or put BOT_TOKEN=... in a .env file)

To try the bot right now without a token:   python -m bot chat"""

async def finish_in_flight(bot: Bot, in_flight: InFlight, settings: Settings) -> None:
    """On stop: let the updates in hand finish (up to STOP_TIMEOUT; the journal keeps the
    rest for the next start), then tell Telegram they are done, so that a restart does not
    receive them again."""
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

    if not await in_flight.drain(settings.stop_timeout):
        log.warning("Stopped with updates still being handled after %.0f s; they are handled "
                    "again at the next start (on PostgreSQL, by any instance once their lease runs out)",
                    settings.stop_timeout)
    if in_flight.last_update_id is not None:
        try:
            await bot.get_updates(offset=in_flight.last_update_id + 1, limit=1, timeout=0)
        except (TelegramAPIError, TelegramNetworkError) as error:
            log.warning("Could not confirm the last updates: %s", error)


async def run_polling(settings: Settings) -> int:
    from bot.app import create_bot, create_dispatcher
    from bot.db import open_configured
    from bot.instance import ConflictGuard

    db = await open_configured(settings.database_path, settings.database_dsn)
    try:
        dispatcher = create_dispatcher(settings, db)
        bot = create_bot(settings)
        webhook = settings.webhook_url is not None
        if not webhook:
            dispatcher.shutdown.register(finish_in_flight)
            guard = ConflictGuard(lambda: asyncio.ensure_future(dispatcher.stop_polling()))
            bot.session.middleware(guard)
        if (problem := await connect(settings, dispatcher, bot)) is not None:
            await bot.session.close()
            return problem
        if webhook:
            from bot.webhook import run_webhook

            await run_webhook(settings, dispatcher, bot)
            return 0
        health = await serve_health(settings, dispatcher)
        try:
            await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
        finally:
            if health is not None:
                await health.cleanup()
        return 3 if guard.stopped else 0
    finally:
        await db.close()
        log.info("Database closed")


async def connect(settings: Settings, dispatcher: Dispatcher, bot: Bot) -> int | None:
    """Tell Telegram how updates are taken (the webhook, or none for polling); an exit
    code and one line on stderr if that cannot be done."""
    from aiogram.exceptions import (
        AiogramError,
        TelegramAPIError,
        TelegramNetworkError,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    # Failed calls are already tried again, with backoff, by the outbound policy
    # (bot/outbound.py: deleteWebhook and setWebhook are safe to repeat); what still fails
    # here has failed for about fifteen seconds.
    try:
        if settings.webhook_url is not None:
            from bot.webhook import register_webhook

            await register_webhook(settings, dispatcher, bot)
        else:
            await bot.delete_webhook(drop_pending_updates=False)
        return None
    except TelegramUnauthorizedError:
        say("Telegram rejected BOT_TOKEN: check it with @BotFather.")
        return 2
    except TelegramNetworkError as error:
        problem = f"Cannot reach the Bot API server ({type(error).__name__})"
    except TelegramServerError as error:
        problem = f"The Bot API server answers with an error ({error.message[:100]})"
    except TelegramAPIError as error:
        setting = "WEBHOOK_URL" if settings.webhook_url else "TELEGRAM_API_BASE"
        say(f"Telegram refused {error.method.__api_method__} ({error.message[:150]}): check {setting}.")
        return 2
    except AiogramError as error:  # ClientDecodeError: an HTML page instead of JSON, say
        problem = f"The Bot API server does not answer like a Bot API ({type(error).__name__})"
    say(f"{problem}, after several tries: check TELEGRAM_API_BASE and the network.")
    return 1


async def serve_health(settings: Settings, dispatcher: Dispatcher) -> web.AppRunner | None:
    """/healthz and /metrics on HEALTH_LISTEN, in polling mode."""
    if settings.health_listen is None:
        return None
    from aiohttp import web

    from bot.health import add_routes, serve

    app = web.Application()
    add_routes(app, dispatcher["health"], dispatcher["metrics"])
    host, port = settings.health_listen
    return await serve(app, host, port, "HEALTH_LISTEN")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The SIM cancellation helper bot.")
    commands = parser.add_subparsers(dest="command")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal: no token, no network")
    chat.add_argument("--lang", default="en", help="the Telegram language_code of the local user (zh, ru, en, ...)")
    chat.add_argument("--user-id", type=int, default=1, help="the local user's Telegram id (default 1)")
    commands.add_parser("migrate-to-postgres",
                        help="copy the SQLite database at DATABASE_PATH into the empty PostgreSQL at DATABASE_URL")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    # The chat shows the conversation on stdout; only warnings belong beside it.
    level = "WARNING" if args.command == "chat" and settings.log_level in ("DEBUG", "INFO") else settings.log_level
    setup_logging(level, Redactor(secrets(settings)))
    try:
        if args.command == "chat":
            from bot.chat import chat_main

            return chat_main(settings, args.lang, args.user_id)
        if args.command == "migrate-to-postgres":
            return migrate_to_postgres(settings)
        if settings.bot_token is None:
            print(NO_TOKEN, file=sys.stderr)
            return 1
        return run_bot(settings)
    except MigrationError as error:
        say(f"Database migration failed, nothing was changed: {error}")
        return 2
    except DatabaseOpenError as error:
        say(str(error))
        return 2


def migrate_to_postgres(settings: Settings) -> int:
    from bot.migrate import TargetNotEmpty, copy_to_postgres

    if settings.database_dsn is None:
        say("DATABASE_URL is not set: it names the PostgreSQL database to copy into.")
        return 2
    if not settings.database_path.is_file():
        say(f"DATABASE_PATH: there is no SQLite database at {settings.database_path} to copy.")
        return 2
    try:
        copied = asyncio.run(copy_to_postgres(settings.database_path, settings.database_dsn))
    except TargetNotEmpty as error:
        say(f"Nothing was copied: {error}.")
        return 2
    for table, rows in copied.items():
        print(f"{table}: {rows} rows")
    print(f"Copied {settings.database_path} into PostgreSQL: start the bot with DATABASE_URL set.")
    return 0


def run_bot(settings: Settings) -> int:
    """The bot, alone on its SQLite file (several may share PostgreSQL); a listener that
    cannot bind is one line too."""
    from bot.health import ListenError
    from bot.instance import AlreadyRunning, InstanceLock

    lock = InstanceLock(settings.database_path)
    try:
        if settings.database_url is None:
            lock.acquire()
    except AlreadyRunning as error:
        say(f"Not started: {error}.")
        return 4
    except OSError as error:
        say(f"DATABASE_PATH: cannot create the lock file beside the database: {error.strerror}")
        return 2
    try:
        return asyncio.run(run_polling(settings))
    except ListenError as error:
        say(str(error))
        return 2
    except (MigrationError, DatabaseOpenError):
        raise  # one line each, in main()
    except Exception:
        log.critical("Stopped by an unexpected error", exc_info=True)
        return 1
    finally:
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
