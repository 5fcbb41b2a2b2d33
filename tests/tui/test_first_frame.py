"""The welcome is first drawn with the keyboard already on answer 1, so it is drawn once.

Textual's `focus` moves the keyboard when the app's queue reaches it, which on a
new screen is after its first frame; the first frame then drew every topic with
the keyboard elsewhere (on the language offer), and moving it restyled, laid out
and drew the whole list again: a fifth of the first screen's time (issue 12's
start-up budget, `docs/performance.md`). Seen by watching Textual's drawing of
each cell (`Visual.to_strips`), with nothing of Navigator's replaced.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from textual import events
from textual._compositor import Compositor
from textual.css.stylesheet import Stylesheet
from textual.geometry import Size
from textual.visual import Visual
from textual.widget import Widget

from navigator.kb import KnowledgeBase
from navigator.tui.app import NavigatorApp
from navigator.tui.screens.conversation import ConversationScreen
from navigator.tui.widgets.plain_button import PlainButton
from navigator.tui.widgets.quick_replies import QuickReplies

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_answer_1_is_only_ever_drawn_with_the_keyboard_on_it(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Drawn first without the cursor and then with it, the list was being drawn twice.

    (Only the states are compared, not how often: a resize may redraw a cell as it was.)
    """
    drawn: Counter[tuple[str, str]] = Counter()
    to_strips = Visual.to_strips.__func__  # type: ignore[attr-defined]

    def watched(cls: type[Visual], widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(widget, QuickReplies):  # args: width, height, style
            drawn[(str(visual), str(args[2]))] += 1
        return to_strips(cls, widget, visual, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", classmethod(watched))
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        while not isinstance(app.focused, QuickReplies):
            await pilot.pause(0.01)
        await pilot.pause()
        first_frame = Counter(drawn)

    styles = {style for text, style in first_frame if "1  Care and support" in text}
    assert len(styles) == 1, f"answer 1 drawn in {len(styles)} different states"
    others = {style for text, style in first_frame if "2  Support for carers" in text}
    assert others and others != styles  # the cursor is shown, on answer 1 only


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_welcome_is_styled_once_before_its_first_frame(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual restyles a screen when it is shown; a new screen was styled as it was mounted.

    Styled again, every widget of the welcome was worked out twice (issue 12's start-up
    budget). Only widgets that change state on the way (the answers, which take the
    keyboard; the language offer's buttons) may be styled again.
    """
    styled: Counter[int] = Counter()
    apply = Stylesheet.apply

    def watched(stylesheet: Stylesheet, node: Any, *args: Any, **kwargs: Any) -> Any:
        styled[id(node)] += 1
        return apply(stylesheet, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", watched)
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        while not isinstance(app.focused, QuickReplies):
            await pilot.pause(0.01)
        await pilot.pause()
        screen = app.screen
        steady = [screen, *(w for w in screen.walk_children() if not _changes_state(w))]
        twice = {type(node).__name__ for node in steady if styled[id(node)] > 1}
        assert twice == set()
        assert len(steady) > 10


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_styling_the_welcome_again_changes_nothing_on_it(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase, size: tuple[int, int]
) -> None:
    """The styling pass the first showing skips would have drawn the same screen."""
    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=size) as pilot:
        while not isinstance(app.focused, QuickReplies):
            await pilot.pause(0.01)
        await pilot.pause()
        first_frame = app.export_screenshot()
        app.screen.update_node_styles(animate=False)
        await pilot.pause()
        assert app.export_screenshot() == first_frame


def _changes_state(widget: Widget) -> bool:
    return isinstance(widget, QuickReplies | PlainButton) or widget.id in {
        "textual-toastrack",
        "textual-tooltip",
    }


async def test_the_welcome_is_not_laid_out_again_for_its_own_size(
    make_app: Callable[..., NavigatorApp],
    demo_kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual sends a new screen a Resize for its own first layout, and laid every widget
    out again at the same size; a terminal that really changes size is still followed."""
    reflows: list[tuple[int, int]] = []
    reflow = Compositor.reflow

    def watched(compositor: Compositor, parent: Any, size: Size) -> Any:
        if isinstance(parent, ConversationScreen):
            reflows.append((size.width, size.height))
        return reflow(compositor, parent, size)

    app = make_app(knowledge=demo_kb)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.focused, QuickReplies):
            await pilot.pause(0.01)
        await pilot.pause()
        monkeypatch.setattr(Compositor, "reflow", watched)
        app.screen.post_message(events.Resize(Size(80, 24), Size(80, 24)))
        await pilot.pause()
        assert reflows == []

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert (120, 40) in reflows
        assert app.screen.query_one(QuickReplies).region.width == 120


async def test_no_garbage_collection_until_the_first_screen_is_up_and_on_again_after(
    make_app: Callable[..., NavigatorApp], demo_kb: KnowledgeBase
) -> None:
    """Paused for the first screen (its passes were a tenth of it), back on while the
    person reads the welcome; an app that stops before then turns it back on too."""
    assert gc.isenabled()
    app = make_app(knowledge=demo_kb, background_delay_seconds=600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.focused, QuickReplies):
            await pilot.pause(0.01)
        await pilot.pause()
        assert not gc.isenabled()
    assert gc.isenabled()

    app = make_app(knowledge=demo_kb, background_delay_seconds=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if gc.isenabled():
                break
            await pilot.pause(0.01)
        assert gc.isenabled()
        assert app.is_running
