"""Whether the user blocked the bot, from Telegram's my_chat_member updates."""

from aiogram import Router
from aiogram.types import ChatMemberUpdated

from bot.filters import PrivateChat
from bot.repositories.users import UsersRepository


async def member_changed(event: ChatMemberUpdated, users: UsersRepository) -> None:
    await users.set_blocked(event.from_user.id, event.new_chat_member.status == "kicked")


def create_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.register(member_changed, PrivateChat())
    return router
