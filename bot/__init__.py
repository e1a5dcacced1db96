"""The runtime: what talks to Telegram and to SQLite."""
