"""`navigator referral answer CODE accepted|declined REASON` (or `--reply FILE`).

A service answers a warm referral with its reply code; whoever looks after
Navigator's mailbox types the answer, or saves the service's email and gives
it with `--reply` (the first line holding `CODE accepted` or `CODE declined
...` counts). Only the anonymous status is stored against the pathway.

Exit status: 0 stored, 1 the code is not known or the database cannot be
used, 2 the answer cannot be read (the message shows how to write one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from navigator.config import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def answer(arguments: argparse.Namespace, settings: Settings) -> int:
    from navigator.engine.referral import AnswerProblem, parse_answer

    words = list(arguments.answer)
    if words and words[0] == "answer":
        words = words[1:]  # `navigator referral answer CODE ...` reads naturally too
    try:
        if arguments.reply is not None:
            text = arguments.reply.read_text(encoding="utf-8", errors="replace")
        else:
            text = " ".join(words)
        parsed = parse_answer(text)
    except OSError as problem:
        print(f"navigator: {arguments.reply}: cannot be read ({problem.strerror})", file=sys.stderr)
        return EXIT_USAGE
    except AnswerProblem as problem:
        print(f"navigator: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return _store(settings, parsed)


def _store(settings: Settings, parsed: object) -> int:
    from navigator.engine.referral import ParsedAnswer
    from navigator.records.database import connected
    from navigator.records.problems import classify
    from navigator.records.referrals import store_answer

    assert isinstance(parsed, ParsedAnswer)
    try:
        with connected(settings.resolved_database_url) as engine:
            stored = store_answer(engine, parsed, dt.datetime.now(dt.UTC))
    except Exception as problem:  # a database that cannot be used: say why, never a traceback
        print(f"navigator: {classify(problem).message}", file=sys.stderr)
        return EXIT_FAILED
    if stored.status == "unknown_code":
        print(
            f"navigator: no referral has the code {parsed.code}: check it against the "
            "referral email or file (the records may not have been copied from the "
            "advocate's machine yet: `navigator db status` there)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    reason = f" ({parsed.reason.replace('_', ' ')})" if parsed.reason else ""
    was = f", replacing '{stored.previous}'" if stored.status == "replaced" else ""
    print(f"referral {parsed.code} to {stored.service_id}: {parsed.answer}{reason}{was}")
    return EXIT_OK
