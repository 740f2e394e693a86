# syntax=docker/dockerfile:1
# uv's documented pattern: dependencies from the lock file in a cached layer, then
# the project, installed non-editable, with its tracing and Sentry extras (off until
# configured); a slim runtime with nothing but the virtualenv.
FROM python:3.13.9-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-dev --all-extras --no-install-project --no-editable
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --all-extras --no-editable

FROM python:3.13.9-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="cybervpn" \
      org.opencontainers.image.description="CyberVPN backend: accounts, VPN access on Remnawave, payments" \
      org.opencontainers.image.version="${VERSION}"
RUN useradd --create-home --uid 10001 --user-group cybervpn
WORKDIR /app
COPY --from=build --chown=10001:10001 /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1 ENVIRONMENT=production \
    HOST=0.0.0.0 PORT=8000
USER 10001
EXPOSE 8000
# The API's probe; compose gives the worker and the scheduler their own.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/health\", timeout=2)"]
CMD ["cybervpn", "serve"]
