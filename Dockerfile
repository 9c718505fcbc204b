# One image for every role: python -m bot [serve|worker|migrate|set-webhook].
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu has the Kazakh letters (ә ғ қ ң ө ұ ү һ і) for the charts; curl-less health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin bot

WORKDIR /app
# Dependencies at build time (never at container start): the project's metadata first, so
# this layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN mkdir bot && touch bot/__init__.py && pip install . && pip uninstall -y rescue-recruitment-bot \
    && rm -rf bot build
COPY alembic.ini ./
COPY bot ./bot
COPY data ./data
RUN python -m compileall -q bot && mkdir -p var && chown bot:bot var

USER bot
EXPOSE 8080
# /healthz: the process answers (readiness, /readyz, is for the load balancer).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('WEB_PORT', '8080')}/healthz\", timeout=4)"]
CMD ["python", "-m", "bot", "serve"]
