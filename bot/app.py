"""Building the bot: the dispatcher with its storage, middlewares and routers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import BotCommandScopeChat
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from aiogram.utils.i18n import I18n
from redis.asyncio import Redis

from bot import outbound, unavailable
from bot.broadcaster import Broadcaster
from bot.commands import bot_commands
from bot.config import Settings
from bot.db import Database
from bot.filters import PrivateChat
from bot.health import Health
from bot.i18n import LocaleMiddleware, create_i18n
from bot.instance import Lease, instance_id
from bot.journal import UpdateJournal
from bot.leases import ClaimKeeper
from bot.metrics import Metrics, RequestMetrics, UpdateMetrics
from bot.middlewares import InFlight, InFlightIsolation, UserMiddleware
from bot.model_files import ModelFiles
from bot.ratelimit import RateLimiter
from bot.repositories.broadcasts import BroadcastsRepository
from bot.repositories.checklist import ChecklistRepository
from bot.repositories.checks import ChecksRepository
from bot.repositories.journal import JournalRepository
from bot.repositories.monitoring import MonitoringRepository
from bot.repositories.questions import QuestionsRepository
from bot.repositories.reminders import RemindersRepository
from bot.repositories.stats import StatsRepository
from bot.repositories.users import UsersRepository
from bot.routers import all_routers
from bot.scheduler import ReminderScheduler, utc_now
from bot.shared_ratelimit import SharedRateLimiter
from bot.states import LeaveSideSteps
from bot.storage import DatabaseStorage
from bot.throttle import Throttle
from flows.checklist import item_ids
from flows.locale import LANGUAGES
from flows.operators import load_operators
from flows.qa import build_index

log = logging.getLogger(__name__)

# The command menu Telegram shows beside the text field, in each language.
def create_bot(settings: Settings, session: BaseSession | None = None, token: str | None = None) -> Bot:
    # Telegram's limits apply to the network session; a local stand-in has none.
    limits = None if session is not None else outbound.Limits()
    if session is None:
        session = AiohttpSession()
        if settings.telegram_api_base:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_base)
    outbound.install(session, limits)
    if token is None:
        token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview_is_disabled=True,
        ),
    )


def create_dispatcher(
    settings: Settings,
    db: Database,
    *,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
    clock: Callable[[], datetime] = utc_now,
    throttle: bool = True,
) -> Dispatcher:
    """Everything a handler may ask for by parameter name is given here, not imported.

    ``clock`` (aware UTC) is the time for handlers and the reminder scheduler alike, so
    that tests can move it. ``throttle``: slow down a user who floods the bot.
    """
    # Several instances may share PostgreSQL: nothing another one can change is cached.
    cache_size = 0 if db.dialect == "postgresql" else 10_000
    users = UsersRepository(db, remember=cache_size)
    reminders = RemindersRepository(db)
    # Validated here, so that a malformed data file stops the bot at start, not mid-chat.
    operators = load_operators(settings.operators_file)
    in_flight = InFlight()
    i18n = i18n or create_i18n(settings.default_locale)
    # With REDIS_URL, one client for the conversation state and the shared rate limit.
    redis = Redis.from_url(settings.redis_dsn) if settings.redis_dsn else None
    # One limiter for every message the bot sends on its own (reminders, broadcasts), shared
    # by every instance through Redis when there is one.
    rate_limiter = SharedRateLimiter(redis, settings.broadcast_rate) if redis else RateLimiter(settings.broadcast_rate)
    broadcasts = BroadcastsRepository(db, settings.default_locale, item_ids())
    # Reminders, broadcast recipients and updates in hand are claimed in this instance's name, for a lease.
    lease = Lease(instance_id(), settings.claim_lease)
    # One process per SQLite file (the lock beside it): its claims at start are a dead one's.
    exclusive = db.dialect == "sqlite"
    journal = UpdateJournal(JournalRepository(db), lease, exclusive=exclusive)
    broadcaster = Broadcaster(broadcasts, users, rate_limiter, i18n, settings.default_locale, lease=lease)
    scheduler = ReminderScheduler(reminders, users, i18n, rate_limiter,
                                  default_locale=settings.default_locale, now=clock, lease=lease)
    claims = ClaimKeeper(lease, broadcasts, reminders, broadcaster, scheduler, journal, exclusive=exclusive)
    if storage is None:
        # RedisStorage closes the client when the dispatcher shuts down.
        storage = RedisStorage(redis) if redis else DatabaseStorage(db, cache_size)
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=InFlightIsolation(in_flight),
        # Keyword arguments become handler dependencies, received by parameter name.
        settings=settings,
        users=users,
        checks=ChecksRepository(db),
        operators=operators,
        checklist=ChecklistRepository(db),
        reminders=reminders,
        in_flight=in_flight,
        journal=journal,
        # Read-only once built: every update shares it. Trained once (seconds), then loaded from its file.
        qa_index=build_index(aliases=operators.aliases_by_id(), store=ModelFiles(settings.model_cache_dir)),
        questions=QuestionsRepository(db),
        rate_limiter=rate_limiter,
        broadcasts=broadcasts,
        broadcaster=broadcaster,
        stats=StatsRepository(db, settings.default_locale, item_ids()),
        clock=clock,
        scheduler=scheduler,
        reminder_wakeup=scheduler.wakeup,
    )
    setup_monitoring(dispatcher, settings, db)
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(journal)
    dispatcher.update.outer_middleware(UserMiddleware(users))
    LocaleMiddleware(i18n).setup(dispatcher)
    if throttle:
        flood_guard = Throttle()
        dispatcher.message.outer_middleware(flood_guard)
        dispatcher.callback_query.outer_middleware(flood_guard)
    # The bot talks with people one to one; in a group it stays silent.
    leave_side_steps = LeaveSideSteps()
    dispatcher.message.outer_middleware(leave_side_steps)
    dispatcher.callback_query.outer_middleware(leave_side_steps)
    dispatcher.message.filter(PrivateChat())
    dispatcher.callback_query.filter(PrivateChat())
    # Every button press is answered once its handler is done (stopping the spinner); a
    # handler with something to say answers first, with bot.replies.toast.
    dispatcher.callback_query.middleware(CallbackAnswerMiddleware())
    dispatcher.include_routers(*all_routers())
    unavailable.register(dispatcher, i18n, settings.default_locale)

    async def on_startup(bot: Bot) -> None:
        admin_locales = await users.locales(sorted(settings.admin_ids), settings.default_locale)
        await set_commands(bot, i18n, settings.default_locale, admin_locales)
        await scheduler.start(bot)
        await claims.start(bot)  # takes over what is left and starts the running broadcasts

    async def on_shutdown() -> None:
        await broadcaster.stop()
        await scheduler.stop()
        await claims.stop()  # last: the sends finishing meanwhile keep their leases

    dispatcher.startup.register(on_startup)
    dispatcher.startup.register(journal.start)  # last: replayed updates meet a ready bot
    dispatcher.shutdown.register(on_shutdown)
    return dispatcher


def setup_monitoring(dispatcher: Dispatcher, settings: Settings, db: Database) -> None:
    """The process's metrics (counted from here on) and health check, for /metrics and
    /healthz; the dispatcher holds them as ``metrics`` and ``health``."""
    metrics = Metrics()
    dispatcher["metrics"] = metrics
    dispatcher["health"] = Health(metrics, MonitoringRepository(db), polling=settings.webhook_url is None)
    dispatcher.update.outer_middleware(UpdateMetrics(metrics))

    async def count_calls(bot: Bot) -> None:
        bot.session.middleware(RequestMetrics(metrics))

    dispatcher.startup.register(count_calls)


async def set_commands(bot: Bot, i18n: I18n, default_locale: str, admin_locales: dict[int, str] | None = None) -> None:
    """Register the command menu in every language, plus a default for all other users, and
    for each admin (admin id -> locale) a menu with the admin commands too."""
    for code in (None, *LANGUAGES):
        await bot.set_my_commands(bot_commands(i18n, code or default_locale), language_code=code)
    for admin_id, locale in (admin_locales or {}).items():
        try:
            await bot.set_my_commands(bot_commands(i18n, locale, admin=True), scope=BotCommandScopeChat(chat_id=admin_id))
        except TelegramAPIError as error:
            # Telegram refuses a chat the bot has never talked with ("chat not found").
            log.warning("No admin command menu for %s (%s): they should /start the bot, "
                        "and the menu appears at the next start", admin_id, error)
