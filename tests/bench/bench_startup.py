"""App start-up and memory: the resident app against a bare Textual "hello" app, same run.

Run from the repository root:

    .venv/bin/python tests/bench/bench_startup.py                 # 15 rounds, print figures
    .venv/bin/python tests/bench/bench_startup.py --write-docs    # and update docs/performance.md

Each measurement is a fresh Python process, timed from just before it is
started until the app reports its first question interactive (for the
resident app: the welcome's topic list drawn with the keyboard on answer 1;
for the baseline: a Static saying hello drawn). "Drawn" means the same for
both: Textual's `Pilot.pause()` has returned, so every pending message is
handled, the first frame rendered and the process idle (the pilot's idle
check adds about 40 ms of waiting to both figures). Both run headless, so no
terminal speed is measured. Navigator's bytecode is compiled first, as an
installed package's is, so a stale cache never counts. The resident app starts as `navigator` does
(`quick_start`: the garbage collector paused while importing and loading),
loads the demo knowledge base from the validated-knowledge cache (warmed in
the dropped round 0, as by any earlier start; a second Navigator figure uses
an empty cache each time: the first start after a knowledge edit), and
opens the SQLite records store in a thread; the child reports whether
SQLAlchemy had been imported when the first question became interactive
(it should not have been: the store is opened after the first screen).

Peak memory is the child's maximum resident set size after a whole journey
to an outcome with the records store open.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "performance.md"
BEGIN = "<!-- bench_startup:begin -->"
END = "<!-- bench_startup:end -->"
HEADING = "## App start-up and memory"

START_AIM_RATIO = 1.5
ADDED_MEMORY_AIM_MB = 200.0
"""Issue 12: the peak Navigator adds over the bare app (both meaning models loaded)."""


# --- Children ------------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_hello() -> None:
    from textual.app import App, ComposeResult
    from textual.pilot import Pilot
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello")

    report: dict[str, float] = {}

    async def pilot(driver: Pilot[None]) -> None:
        await driver.pause()
        report["ready"] = time.time()
        report["cpu_ms"] = time.process_time() * 1000
        report["peak_mb"] = _peak_mb()
        driver.app.exit()

    Hello().run(headless=True, size=(100, 40), auto_pilot=pilot)
    print(json.dumps(report))


def child_navigator(data_dir: str, cache_dir: str) -> None:
    sys.path.insert(0, str(REPO))
    stages: dict[str, float] = {"python": time.process_time()}
    from navigator.commands.app import quick_start  # the real app's start, gc and all

    with quick_start():
        from dataclasses import replace

        import textual.app  # noqa: F401
        from textual.pilot import Pilot

        stages["textual"] = time.process_time()
        from navigator.commands.loading import open_knowledge
        from navigator.config import load_settings

        stages["importing the knowledge code (no pydantic)"] = time.process_time()
        import navigator.engine.conversation  # noqa: F401

        stages["engine"] = time.process_time()
        from navigator.tui.app import AppConfig, NavigatorApp
        from navigator.tui.widgets.quick_replies import QuickReplies

        stages["app modules"] = time.process_time()
        settings = replace(load_settings(), data_dir=Path(data_dir))
        # as `navigator` starts: checked as `validate` checks (the result cached with it)
        opened = open_knowledge(settings.knowledge, "", cache_dir=Path(cache_dir))
        assert opened is not None, "the demo knowledge base must pass validate"
        knowledge = opened.knowledge
        stages["loading the demo knowledge base"] = time.process_time()
        # as `navigator` starts: Textual's parsed CSS kept with the knowledge cache
        config = AppConfig(settings=settings, knowledge=knowledge, style_cache=Path(cache_dir))
        app = NavigatorApp(config)
        stages["creating the app"] = time.process_time()
    report: dict[str, float | bool | str] = {}

    async def pilot(driver: Pilot[int]) -> None:
        while not isinstance(app.focused, QuickReplies):
            await driver.pause(0.005)
        stages["first screen built, keyboard on answer 1"] = time.process_time()
        await driver.pause()  # as the baseline: until the first frame is drawn and all is idle
        report["ready"] = time.time()
        report["cpu_ms"] = time.process_time() * 1000
        stages["first frame drawn (the app then idle)"] = time.process_time()
        previous = 0.0
        for name, at in stages.items():
            report[f"stage:{name}"] = (at - previous) * 1000
            previous = at
        report["sqlalchemy_at_ready"] = "sqlalchemy" in sys.modules
        for _ in range(12):  # always the first answer: a whole journey to a result
            if app.conversation.reached_outcome:
                break
            await driver.press("1")
            await driver.pause()
        report["reached_outcome"] = app.conversation.reached_outcome
        await app.workers.wait_for_complete()
        report["store_open"] = app.relay.writer is not None
        report["peak_mb"] = _peak_mb()
        app.exit()

    app.run(headless=True, size=(100, 40), auto_pilot=pilot)
    print(json.dumps(report))


# --- Parent ----------------------------------------------------------------------------


def measure(kind: str, data_dir: Path, cache_dir: Path) -> dict[str, float]:
    command = [
        *(sys.executable, __file__, "--child", kind.removesuffix("-cold")),
        *("--data-dir", str(data_dir), "--cache-dir", str(cache_dir)),
    ]
    environment = {**os.environ, "NAVIGATOR_CONFIG": str(data_dir / "none.toml")}
    started = time.time()
    finished = subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False, timeout=120
    )
    if finished.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{finished.stderr}")
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    report["startup_ms"] = (report["ready"] - started) * 1000
    return report


def run(rounds: int) -> dict[str, object]:
    compileall.compile_dir(REPO / "navigator", quiet=1)
    hello: list[dict[str, float]] = []
    navigator: list[dict[str, float]] = []
    cold: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        warm_cache = Path(scratch) / "knowledge-cache"  # filled in round 0, as by a first start
        for round_number in range(rounds + 1):  # round 0 warms the disk cache and is dropped
            pair = [("hello", hello), ("navigator", navigator)]
            if round_number % 2:  # alternate which goes first, so drift favours neither
                pair.reverse()
            for kind, results in (*pair, ("navigator-cold", cold)):
                data_dir = Path(scratch) / f"{kind}-{round_number}"
                cache_dir = data_dir / "cache" if kind == "navigator-cold" else warm_cache
                report = measure(kind, data_dir, cache_dir)
                if round_number:
                    results.append(report)
    hello_ms = statistics.median(r["startup_ms"] for r in hello)
    navigator_ms = statistics.median(r["startup_ms"] for r in navigator)
    cold_ms = statistics.median(r["startup_ms"] for r in cold)
    hello_cpu = statistics.median(r["cpu_ms"] for r in hello)
    navigator_cpu = statistics.median(r["cpu_ms"] for r in navigator)
    paired = [n["startup_ms"] / h["startup_ms"] for h, n in zip(hello, navigator, strict=True)]
    paired_cpu = [n["cpu_ms"] / h["cpu_ms"] for h, n in zip(hello, navigator, strict=True)]
    quartiles = statistics.quantiles(paired, n=4)
    stage_names = [key for key in navigator[0] if str(key).startswith("stage:")]
    stages = {name[6:]: statistics.median(r[name] for r in navigator) for name in stage_names}
    return {
        "stages": stages,
        "hello_cpu_ms": hello_cpu,
        "navigator_cpu_ms": navigator_cpu,
        "cpu_ratio": statistics.median(paired_cpu),
        "rounds": rounds,
        "hello_ms": hello_ms,
        "navigator_ms": navigator_ms,
        "ratio": statistics.median(paired),
        "ratio_low": quartiles[0],
        "ratio_high": quartiles[2],
        "cold_ms": cold_ms,
        "cold_ratio": cold_ms / hello_ms,
        "hello_mb": max(r["peak_mb"] for r in hello),
        "navigator_mb": max(r["peak_mb"] for r in navigator),
        "lazy_store": not any(r["sqlalchemy_at_ready"] for r in (*navigator, *cold)),
        "journeys_complete": all(
            r["reached_outcome"] and r["store_open"] for r in (*navigator, *cold)
        ),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count() or 0,
    }


def table(figures: dict[str, object]) -> str:
    def number(key: str) -> float:
        value = figures[key]
        assert isinstance(value, float | int)
        return float(value)

    ratio_ok = "yes" if number("ratio") <= START_AIM_RATIO else "no"
    added_mb = number("navigator_mb") - number("hello_mb")
    memory_ok = "yes" if added_mb < ADDED_MEMORY_AIM_MB else "no"
    lazy = "not yet imported" if figures["lazy_store"] else "ALREADY IMPORTED"
    return "\n".join(
        [
            "| measure | bare Textual app | Navigator (demo KB) | aim | met |",
            "| --- | --- | --- | --- | --- |",
            f"| process start to first question interactive (medians of {figures['rounds']}; "
            f"the ratio is the median of the rounds' own ratios, middle half "
            f"{number('ratio_low'):.2f}-{number('ratio_high'):.2f}x) "
            f"| {number('hello_ms'):.0f} ms | {number('navigator_ms'):.0f} ms "
            f"({number('ratio'):.2f}x) | at most {START_AIM_RATIO}x | {ratio_ok} |",
            f"| the same, first start after a knowledge edit (cache miss: full load) "
            f"| {number('hello_ms'):.0f} ms | {number('cold_ms'):.0f} ms "
            f"({number('cold_ratio'):.2f}x) | | |",
            f"| processor time used by then (less sensitive to a busy machine) "
            f"| {number('hello_cpu_ms'):.0f} ms | {number('navigator_cpu_ms'):.0f} ms "
            f"({number('cpu_ratio'):.2f}x) | | |",
            f"| peak memory (resident set), after a journey to a result with the store open "
            f"| {number('hello_mb'):.0f} MB | {number('navigator_mb'):.0f} MB "
            f"({added_mb:+.0f} MB) | under {ADDED_MEMORY_AIM_MB:.0f} MB added | {memory_ok} |",
            "",
            "Where Navigator's processor time goes before the first question (medians):",
            "",
            "| stage | processor time |",
            "| --- | --- |",
            *(f"| {name} | {ms:.0f} ms |" for name, ms in _stages(figures).items()),
            "",
            f"SQLAlchemy when the first question was interactive: {lazy}. "
            f"Python {figures['python']}, {figures['cpus']} CPUs, headless driver, "
            f"measured {time.strftime('%Y-%m-%d')}.",
        ]
    )


def _stages(figures: dict[str, object]) -> dict[str, float]:
    stages = figures["stages"]
    assert isinstance(stages, dict)
    return {str(name): float(ms) for name, ms in stages.items()}


def write_docs(figures: dict[str, object]) -> None:
    """Replace only this benchmark's section of docs/performance.md (other sections are kept)."""
    body = "\n".join(
        [
            BEGIN,
            HEADING,
            "",
            "Measured by `tests/bench/bench_startup.py` (run it again to refresh this section).",
            "Each figure is a fresh process, timed from just before it starts until its first",
            "frame is drawn, ready for input; the baseline is a bare Textual app with one Static,",
            "measured in the same run, alternating with Navigator (which goes first",
            "alternates too); each round's pair gives a ratio, and the median is quoted.",
            "",
            table(figures),
            "",
            "History (2026-11-25): before any start-up work, 1076 ms against 378 ms",
            "(2.85x); at the end of the first session 2.36x, and 2.00x at the start of",
            "the second. Those runs stopped the clock when the keyboard reached answer 1,",
            "before the first frame was drawn, and quoted a ratio of medians; the bench",
            "now waits for the frame, as it does for the baseline (60-90 ms more for",
            "Navigator), and quotes the median of paired ratios, because single runs on",
            "this shared machine vary a good deal. On that measure the second session",
            "ended at 1.70x; the third brought it under the aim with three changes,",
            "each measured against the one before in the same run (processor time,",
            "paired rounds): the answers and the bar drawn as one widget each instead",
            "of 22 buttons (first screen 299 to 183 ms, the whole start 0.83x); the",
            "engine's value classes as msgspec Structs instead of frozen dataclasses",
            "(engine import 84 to 19 ms); and the hidden notes and the app's value",
            "classes likewise.",
            "",
            "What keeps the start short:",
            "",
            "- The command line imports only what the chosen command needs.",
            "- The validated knowledge base is kept in a cache (`navigator/kb/cache.py`,",
            "  keyed by each knowledge file's path, size and modification time and by the",
            "  `navigator/kb` code), stored as the plain classes of `navigator/kb/model.py`:",
            "  a start reads no YAML and imports neither PyYAML nor pydantic (the schema",
            "  classes derive from those plain classes, so everything downstream takes",
            "  both). The cache leaves out each field's YAML position (the diagnostics",
            "  already carry them), half its size. Any problem with the cache is a",
            "  full load (a damaged file is also reported in one line of the log);",
            "  the first start after an edit loads in full. The sections the first",
            "  question never reads (services, facts, where each entity was written:",
            "  more than half the file) are pickled on their own with a digest and",
            "  decoded when first read; a start checks their digests, decodes the rest",
            "  (session 11, branch `startup3`). Since session 12 (branch `startup4`,",
            "  cache format 6) the questions too: the safeguarding lines gather the",
            "  answers they count as ordinary when first prepared, in the background.",
            "- Textual's parsed CSS is kept between starts beside the knowledge cache",
            "  (`tui/style_cache.py`): Textual parses every style sheet with a parser",
            "  written in Python at every start and keeps the result only in memory",
            "  (about 11 ms here); unpickling the same rules takes about 1.5 ms. Keyed",
            "  by the theme's variables, Textual's CSS code and each source's own text;",
            "  written after the first screen when anything new was parsed.",
            "- The garbage collector is paused while importing and loading, and the",
            "  long-lived objects are then frozen out of later collections; since",
            "  session 12 it is also paused while the first screen is built and drawn",
            "  (its passes were 5-10 ms of it), and back on while the person reads it.",
            "- The records store (SQLAlchemy, about 300 ms to import), the free-text",
            "  matcher's index and the crisis-sign index are built in a thread once the",
            "  first screen is up; rapidfuzz, `segno`, the results widgets and the other",
            "  screens are imported when first needed.",
            "- The first screen has 14 widgets, not 40: the numbered answers and the",
            "  bar's commands are each one `ChoiceGrid` (`tui/widgets/choice_grid.py`),",
            "  which draws its cells with Textual's line API as `OptionList` does, and",
            "  notes that are hidden at the start (window too small, records paused,",
            "  suggestions) are made when first shown. Every Textual widget brings its",
            "  own message queue, styles, layout and drawing: a button cost about 5 ms.",
            "- The first screen is composed with its answers (no second mount), and the",
            "  one button on it carries its own style only: Textual's button style",
            "  (sixty rules) is not parsed.",
            "- Value classes on the way to the first question (the engine's views,",
            "  events and state, the app's configuration) are msgspec Structs, created",
            "  in C: as frozen dataclasses, each class cost Python about a millisecond",
            "  of generated code at every start.",
            "- The starting theme is applied before any CSS is read, and the",
            "  conversation screen's CSS is read with the app's: either way round,",
            "  Textual would parse and apply every style a second time.",
            "- The screen's classes for the first view (`-welcome`, `-short`) are set in",
            "  `compose`, before anything is styled: a class set later restyles the whole",
            "  screen. The Welsh gloss is keyed, and the installed scorers' entry points",
            "  (importlib.metadata) read, in the background (session 10, branch `lean`).",
            "- The first answers take the keyboard while the screen is being mounted",
            "  (`QuickReplies.focus_first`): Textual's `focus` waits for the app's",
            "  queue, which on a new screen comes after its first frame, and moving the",
            "  keyboard then restyled, laid out and drew the screen again (each topic",
            "  drawn twice). Without a settings file, `tomllib` is not imported.",
            "- A new conversation screen is styled once (session 12): Textual restyles",
            "  a screen whenever it is shown, and the welcome had been styled widget by",
            "  widget as it was mounted a moment before; later showings (after a pop-up)",
            "  restyle as Textual does. Nor is it laid out a second time for the Resize",
            "  Textual sends a new screen at the size it already has.",
            "- The regular expressions of the modules on the start's path are compiled",
            "  when first used (`navigator/lazy_re.py`), not at import: about 10 ms of",
            "  compiling at every start, mostly of patterns only free text needs.",
            "",
            "What is left over the bare app is the work of a real first screen:",
            "styling, laying out and drawing 14 widgets (the sixteen answers' cells",
            "alone are a few milliseconds of Textual's text wrapping), and importing",
            "and making the engine (msgspec, the conversation, the understanding",
            "pipeline's lexical lines, the knowledge base's cached welcome).",
            "",
            "These figures come from a 2-core machine shared with other work while",
            "measuring: wall-clock times vary from run to run, the processor-time",
            "ratio much less.",
            END,
        ]
    )
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: body, text)
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--child", choices=["hello", "navigator"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child == "hello":
        child_hello()
        return 0
    if arguments.child == "navigator":
        child_navigator(arguments.data_dir, arguments.cache_dir)
        return 0
    figures = run(arguments.rounds)
    print(table(figures))
    if arguments.write_docs:
        write_docs(figures)
        print(f"\nWrote the figures into {DOCS.relative_to(REPO)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
