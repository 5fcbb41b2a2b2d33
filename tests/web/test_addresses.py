"""The page works however it is reached: on 0.0.0.0, by a name, and behind a TLS proxy.

The page once named its own server in full (`http://0.0.0.0:PORT/static/...`,
`ws://0.0.0.0:PORT/ws`), which is dead from any other address and mixed
content behind HTTPS. Each test here loads the real page in Chromium and
answers a question, so the script, the font and the socket all had to work.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.web.support import browser_page, free_port, serving, tls_proxy, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]


def _answer_one_question(url: str, **options: object) -> list[str]:
    """Load `url`, answer the first question, and return every address the page asked for."""
    requested: list[str] = []
    with browser_page(url, **options) as (page, screen):  # type: ignore[arg-type]
        page.on("request", lambda request: requested.append(request.url))
        page.keyboard.press("2")
        wait_for(page, screen, "Do you have debts")
        requested.extend(entry for entry in page.evaluate(_ADDRESSES_USED))
    return requested


_ADDRESSES_USED = """() => [
    ...performance.getEntriesByType("resource").map((entry) => entry.name),
    window.navigatorSocket ? window.navigatorSocket.url : "no socket",
]"""


def test_serving_on_all_addresses_works_from_loopback(
    free_port: int, environment: dict[str, str]
) -> None:
    with serving(free_port, environment, "--host", "0.0.0.0") as served:
        requested = _answer_one_question(served.url)
    assert {urlparse(url).hostname for url in requested} == {"127.0.0.1"}


def test_serving_on_all_addresses_works_by_a_name(
    free_port: int, environment: dict[str, str]
) -> None:
    name_rule = "--host-resolver-rules=MAP navigator.test 127.0.0.1"
    with serving(free_port, environment, "--host", "0.0.0.0"):
        requested = _answer_one_question(
            f"http://navigator.test:{free_port}/", extra_args=(name_rule,)
        )
    assert {urlparse(url).hostname for url in requested} == {"navigator.test"}
    assert _socket(requested).startswith(f"ws://navigator.test:{free_port}/ws?")


def test_behind_a_tls_proxy_everything_is_fetched_over_tls(
    free_port: int, environment: dict[str, str], tmp_path: Path
) -> None:
    proxy_port = free_port_other_than(free_port)
    with (
        serving(free_port, environment),
        tls_proxy(proxy_port, free_port, tmp_path) as proxied,
    ):
        requested = _answer_one_question(proxied, ignore_https_errors=True)
    schemes = {urlparse(url).scheme for url in requested}
    assert schemes <= {"https", "wss"}, sorted(requested)
    assert _socket(requested).startswith(f"wss://127.0.0.1:{proxy_port}/ws?")


def test_a_public_url_names_the_proxy_in_the_page(
    free_port: int, environment: dict[str, str], tmp_path: Path
) -> None:
    proxy_port = free_port_other_than(free_port)
    public = f"https://localhost:{proxy_port}/"
    with (
        serving(free_port, environment, "--public-url", public),
        tls_proxy(proxy_port, free_port, tmp_path),
    ):
        requested = _answer_one_question(public, ignore_https_errors=True)
    assert _socket(requested).startswith(f"wss://localhost:{proxy_port}/ws?")
    assert {urlparse(url).netloc for url in requested} == {f"localhost:{proxy_port}"}


def _socket(requested: list[str]) -> str:
    return requested[-1]


def free_port_other_than(taken: int) -> int:
    port = free_port()
    while port == taken:
        port = free_port()
    return port
