"""/privacy and /forget: what is stored, and deleting all of it."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import ForgetCb, SettingsCb
from bot.keyboards import button, column, main_menu
from bot.replies import show_in_place
from bot.repositories.users import UsersRepository
from bot.states import RETURN_TO, Forget, leave_side_step


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
                "Questions I could not answer are kept, shortened, with numbers, names, "
                "usernames, links and e-mail addresses removed and without your id, to "
                "improve the answers; "
                "/forget cannot find them because nothing links them to you.\n\n"
                "Apart from those, I do not store your name, phone number, passport data or "
                "the texts of your messages. Nothing is shared with operators or anyone "
                "else.\n\n"
                "/forget deletes all of it at once."
            ),
            reply_markup=main_menu(),
        )

    async def ask_forget(message: Message, state: FSMContext, in_place: bool) -> None:
        # Remember where the user was, so that "keep" returns them there (a check half
        # answered must survive a /forget the user thinks better of).
        current = await state.get_state()
        if current != Forget.confirming.state:
            await state.update_data({RETURN_TO: current})
        await state.set_state(Forget.confirming)
        keyboard = column([button(_("🗑 Yes, delete everything"), ForgetCb(confirm=True)),
                           button(_("Keep my data"), ForgetCb(confirm=False))])
        text = _(
            "This deletes everything I store about you: language, answers, checklist, "
            "reminders and your place in any conversation. It cannot be undone.\n\n"
            "Delete it all?"
        )
        if in_place:
            await show_in_place(message, text, keyboard)
        else:
            await message.answer(text, reply_markup=keyboard)

    @router.message(Command("forget"))
    async def forget(message: Message, state: FSMContext) -> None:
        await ask_forget(message, state, in_place=False)

    @router.callback_query(SettingsCb.filter(F.action == "forget"))
    async def forget_from_settings(query: CallbackQuery, state: FSMContext) -> None:
        await query.answer()
        await ask_forget(query.message, state, in_place=True)

    @router.callback_query(StateFilter(Forget.confirming), ForgetCb.filter(F.confirm))
    async def confirmed(query: CallbackQuery, state: FSMContext, users: UsersRepository) -> None:
        # Cleared through the storage first, so that no storage cache outlives the rows.
        await state.clear()
        await users.forget(query.from_user.id)
        await query.answer()
        # show_in_place: the message may be too old to edit; the user still learns it is done.
        await show_in_place(
            query.message,
            _("Done: everything I stored about you is deleted. Send /start if you want to begin again."),
        )

    @router.callback_query(StateFilter(Forget.confirming), ForgetCb.filter(~F.confirm))
    async def kept(query: CallbackQuery, state: FSMContext) -> None:
        await leave_side_step(state, Forget.confirming.state)
        await query.answer()
        await show_in_place(query.message, _("Nothing was deleted."), main_menu())

    @router.message(StateFilter(Forget.confirming))
    async def typed_instead(message: Message, state: FSMContext, **data: Any) -> None:
        # Typing instead of confirming: nothing is deleted, and the message is taken as it
        # would have been without /forget (a question is answered, a check goes on).
        restored = await leave_side_step(state, Forget.confirming.state)
        await data["dispatcher"].propagate_event("message", message, **{**data, "state": state,
                                                                         "raw_state": restored})

    return router
