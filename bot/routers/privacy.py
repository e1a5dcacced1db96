"""/privacy and /forget: what is stored, and deleting all of it."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import ForgetCb
from bot.keyboards import main_menu
from bot.repositories.users import UsersRepository


class Forget(StatesGroup):
    confirming = State()


def create_router() -> Router:
    router = Router(name=__name__)

    @router.message(Command("privacy"))
    async def privacy(message: Message) -> None:
        await message.answer(
            _(
                "<b>What I store, and why</b>\n"
                "• your Telegram id – to know it is you when you come back;\n"
                "• your language – to answer in it;\n"
                "• when you first and last wrote – for anonymous usage counts;\n"
                "• your answers, checklist ticks, reminders and where you are in a "
                "conversation – so that nothing is lost if you leave or the bot restarts;\n"
                "• your 👍/👎 on my answers – to see which answers need work.\n\n"
                "Questions I could not answer are kept, shortened, with long numbers and "
                "e-mail addresses removed and without your id, to improve the answers; "
                "/forget cannot find them because nothing links them to you.\n\n"
                "Apart from those, I do not store your name, phone number, passport data or "
                "the texts of your messages. Nothing is shared with operators or anyone "
                "else.\n\n"
                "/forget deletes all of it at once."
            ),
            reply_markup=main_menu(),
        )

    @router.message(Command("forget"))
    async def forget(message: Message, state: FSMContext) -> None:
        await state.set_state(Forget.confirming)
        keyboard = InlineKeyboardBuilder()
        keyboard.button(text=_("🗑 Yes, delete everything"), callback_data=ForgetCb(confirm=True))
        keyboard.button(text=_("Keep my data"), callback_data=ForgetCb(confirm=False))
        keyboard.adjust(1)
        await message.answer(
            _(
                "This deletes everything I store about you: language, answers, checklist, "
                "reminders and your place in any conversation. It cannot be undone.\n\n"
                "Delete it all?"
            ),
            reply_markup=keyboard.as_markup(),
        )

    @router.callback_query(StateFilter(Forget.confirming), ForgetCb.filter(F.confirm))
    async def confirmed(query: CallbackQuery, state: FSMContext, users: UsersRepository) -> None:
        # Cleared through the storage first, so that no storage cache outlives the rows.
        await state.clear()
        await users.forget(query.from_user.id)
        await query.answer()
        await query.message.edit_text(
            _("Done: everything I stored about you is deleted. Send /start if you want to begin again.")
        )

    @router.callback_query(StateFilter(Forget.confirming), ForgetCb.filter(~F.confirm))
    async def kept(query: CallbackQuery, state: FSMContext) -> None:
        await state.clear()
        await query.answer()
        await query.message.edit_text(_("Nothing was deleted."), reply_markup=main_menu())

    return router
