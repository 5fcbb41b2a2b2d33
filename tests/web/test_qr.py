"""The QR code in the browser kiosk at 1280x900 fits, and a reader finds it in a screenshot.

The page is the real kiosk page in Chromium at the size of a typical kiosk
screen; the screenshot is decoded with zxing-cpp, as a phone camera would
read the screen. The whole code and its Close button must be visible.
"""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from tests.web.support import SCREEN_TEXT, browser_page, serving, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

KIOSK_SCREEN = {"width": 1280, "height": 900}


def _press_on_screen(page: object, words: str) -> None:
    """Click the middle of `words` where the terminal shows them (a button drawn in text)."""
    text: str = page.evaluate(SCREEN_TEXT)  # type: ignore[attr-defined]
    size = page.evaluate("() => [window.navigatorTerminal.cols, window.navigatorTerminal.rows]")  # type: ignore[attr-defined]
    box = page.locator(".xterm-screen").bounding_box()  # type: ignore[attr-defined]
    for row, line in enumerate(text.split("\n")):
        if words in line:
            column = line.index(words) + len(words) / 2
            x = box["x"] + column * box["width"] / size[0]
            y = box["y"] + (row + 0.5) * box["height"] / size[1]
            page.mouse.click(x, y)  # type: ignore[attr-defined]
            return
    raise AssertionError(f"{words!r} is not on the screen:\n{text}")


def test_the_kiosk_code_fits_and_can_be_read_from_a_screenshot(
    free_port: int, environment: dict[str, str]
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="pip install -e '.[test]' (zxing-cpp)")
    image = pytest.importorskip("PIL.Image", reason="pip install -e '.[test]' (pillow)")
    set_pin = subprocess.run(
        [sys.executable, "-m", "navigator.cli", "kiosk", "set-pin"],
        input="480213\n",
        text=True,
        env=environment,
        capture_output=True,
        check=False,
    )
    assert set_pin.returncode == 0, set_pin.stderr
    flags = ("--mode", "kiosk", "--site", "web-kiosk")
    with (
        serving(free_port, environment, *flags) as served,
        browser_page(served.url, viewport=KIOSK_SCREEN) as (page, _screen),
    ):
        for key, words in (("1", "How old are you?"), ("2", "Where do you live?")):
            page.keyboard.press(key)
            wait_for_text(page, words)
        page.keyboard.press("1")
        wait_for_text(page, "These services may help you")
        for _ in range(6):  # the results open at the top: the take-away is below them
            page.keyboard.press("PageDown")
        wait_for_text(page, "Show a code")
        _press_on_screen(page, "Show a code")
        wait_for_text(page, "Which service would you like a code for?")
        page.keyboard.press("1")
        shown = wait_for_text(page, "Point your phone camera")
        page.wait_for_timeout(1000)
        screenshot = page.screenshot()
    codes = zxingcpp.read_barcodes(image.open(io.BytesIO(screenshot)))
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode], shown
    assert codes[0].text.startswith("Testborough Home Help")
    assert "01632 960 001" in codes[0].text
    assert "Close" in shown
