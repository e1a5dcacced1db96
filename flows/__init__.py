"""What the bot knows and decides: pure code, no aiogram imports."""
