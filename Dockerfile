FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bot.sqlite3

WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY bot ./bot
COPY flows ./flows
COPY locales ./locales
COPY migrations ./migrations
RUN pip install -e . \
    # Compile the catalogs now: at run time /app is read-only for the bot's user.
    && python -c "from bot.i18n import compile_catalogs; compile_catalogs()" \
    && useradd --create-home --uid 10001 bot \
    && mkdir -p /data && chown bot:bot /data

USER bot
VOLUME ["/data"]
CMD ["python", "-m", "bot"]
