"""``python -m bot`` runs the bot with long polling; ``python -m bot chat`` runs it locally."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from bot.db import MigrationError

if TYPE_CHECKING:
    from aiogram import Bot

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
                    "again at the next start", settings.stop_timeout)
    if in_flight.last_update_id is not None:
        try:
            await bot.get_updates(offset=in_flight.last_update_id + 1, limit=1, timeout=0)
        except (TelegramAPIError, TelegramNetworkError) as error:
            log.warning("Could not confirm the last updates: %s", error)


async def run_polling(settings: Settings) -> int:
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import create_bot, create_dispatcher
    from bot.db import open_database

    db = await open_database(settings.database_path)
    try:
        dispatcher = create_dispatcher(settings, db)
        dispatcher.shutdown.register(finish_in_flight)
        bot = create_bot(settings)
        try:
            await bot.delete_webhook(drop_pending_updates=False)
        except TelegramUnauthorizedError:
            await bot.session.close()
            print("Telegram rejected BOT_TOKEN: check it with @BotFather.", file=sys.stderr)
            return 2
        except TelegramNetworkError as error:
            await bot.session.close()
            print(f"Cannot reach the Bot API server: {error.message}", file=sys.stderr)
            return 1
        await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
    finally:
        await db.close()
        log.info("Database closed")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The SIM cancellation helper bot.")
    commands = parser.add_subparsers(dest="command")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal: no token, no network")
    chat.add_argument("--lang", default="en", help="the Telegram language_code of the local user (zh, ru, en, ...)")
    chat.add_argument("--user-id", type=int, default=1, help="the local user's Telegram id (default 1)")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    # The chat shows the conversation on stdout; only warnings belong beside it.
    level = "WARNING" if args.command == "chat" and settings.log_level in ("DEBUG", "INFO") else settings.log_level
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "chat":
            from bot.chat import chat_main

            return chat_main(settings, args.lang, args.user_id)
        if settings.bot_token is None:
            print(NO_TOKEN, file=sys.stderr)
            return 1
        return asyncio.run(run_polling(settings))
    except MigrationError as error:
        print(f"Database migration failed, nothing was changed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
