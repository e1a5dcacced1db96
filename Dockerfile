FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bot.sqlite3 \
    MODEL_CACHE_DIR=/data/cache \
    HEALTH_LISTEN=0.0.0.0:8080

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
EXPOSE 8080
# /healthz: on HEALTH_LISTEN in polling mode, on WEBHOOK_LISTEN (the same port by default) in
# webhook mode. The image has no curl; Python's standard library asks.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=8)"]
CMD ["python", "-m", "bot"]
