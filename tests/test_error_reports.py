"""SENTRY_DSN: a failed update is reported to a Sentry-compatible server, scrubbed of
personal data (no exception text, no local variables, no users, no log lines)."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

from bot.observability import error_reports
from tests.conftest import BotUnderTest

PHONE = "+77011234567"
NAME = "Сейтжанова Айгерим"


@pytest.fixture
def sentry_server() -> Iterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://public@127.0.0.1:{server.server_address[1]}/1", received
    finally:
        # Reporting off again for the other tests, installing nothing: a bare init(dsn=None)
        # would patch SQLAlchemy and threading for the rest of the run (which crashed it).
        sentry_sdk.init(dsn=None, default_integrations=False)
        server.shutdown()


async def test_a_failed_update_is_reported_without_personal_data(
    app: BotUnderTest, sentry_server: tuple[str, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn, received = sentry_server
    assert error_reports.init(dsn)
    from bot.handlers import start

    async def failing(*args: object, **kwargs: object) -> None:
        form = {"name": NAME, "phone": PHONE}  # a local variable with personal data
        raise RuntimeError(f"cannot save {form}")

    monkeypatch.setattr(start, "show_main_menu", failing)
    person = app.person(user_id=4242)
    await person.send("/start")
    await person.press("Русский")
    sentry_sdk.flush(timeout=5)
    assert received, "no report reached the server"
    body = b"".join(received).decode("utf-8", "replace")
    assert "RuntimeError" in body
    for secret in (PHONE, "7011234567", NAME, "Сейтжанова", "4242", "TEST_TOKEN"):
        assert secret not in body, secret


def test_no_dsn_no_reports() -> None:
    assert error_reports.init(None) is False
    assert error_reports.init("") is False
