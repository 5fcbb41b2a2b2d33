"""Settings: defaults, overridden by a TOML file, then environment variables, then flags.

Kept in one immutable object that is passed down (no global state), so tests
and the three front ends can each run with their own settings side by side.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "navigator"
SUPPRESSION_PRESETS = ("nhs-digital", "threshold", "threshold-10")
"""Disclosure-control presets (navigator.records.reports.presets); the first is the default."""
ENV_PREFIX = "NAVIGATOR_"


MAX_KNOWLEDGE_MB = {"knowledge_max_file_mb": 16.0, "knowledge_max_total_mb": 1024.0}
"""Ceilings for the knowledge size settings: positions in a file are packed in 24 bits."""


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")


class ConfigError(Exception):
    """A setting that cannot be used, with a message that says which and how to fix it."""


def _repo_knowledge() -> Path:
    """The demo knowledge base: beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent
    for candidate in (package.parent / "knowledge", package / "demo_knowledge"):
        if candidate.is_dir():
            return candidate
    return package.parent / "knowledge"


@dataclass(frozen=True)
class Settings:
    """Everything a Navigator process may be configured with."""

    knowledge: Path = field(default_factory=_repo_knowledge)
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    config_dir: Path = field(default_factory=lambda: Path(platformdirs.user_config_dir(APP_NAME)))
    database_url: str | None = None
    """SQLAlchemy URL of the main database. None means a SQLite file in `data_dir`."""
    site: str = "unknown"
    language: str = "en"
    """The language a session starts in (`--language cy`): one the knowledge base serves."""
    language_order: tuple[str, ...] = ()
    """The order of the language offer on the first screen: a Welsh council sets
    `language_order = ["cy", "en"]` (and `language = "cy"`) to put Welsh first."""
    retention_months: int = 24
    idle_timeout_seconds: float = 90.0
    idle_warning_seconds: float = 30.0
    second_digit_seconds: float = 1.2
    """On a list of ten or more answers, how long a first digit waits for a second
    before it is taken alone. Longer suits people who type slowly (up to 10)."""
    print_command: str = "lp"
    suppression_threshold: int = 5
    suppression: str = SUPPRESSION_PRESETS[0]
    """How figures are protected in the review and every export: a name from SUPPRESSION_PRESETS."""
    district_populations: dict[str, int] = field(default_factory=dict)
    manager_sites: tuple[str, ...] = ()
    """The sites whose records this council's managers see (dashboard, `navigator report`);
    empty: every site in the database. Where several councils share one database, set it
    to the council's own sites: other councils' records are then never shown or counted."""
    meaning_model: Path | None = None
    """The meaning model's weights file (safeguarding by meaning); None: the one shipped in
    the `wordllama` wheel. If it cannot be read, the log says so and the sign line works alone."""
    contextual_model: Path | None = None
    """The contextual meaning model's weights file (branch minilm); None: the one shipped in
    Navigator's package. If it cannot be read, the log says so and the other lines work."""
    serve_sessions: int = 20
    """`navigator serve`: app processes (one per browser tab) running at once, in all."""
    serve_sessions_per_client: int = 4
    """`navigator serve`: app processes running at once for one client address."""
    knowledge_max_file_mb: float = 5.0
    """The largest knowledge file read; larger ones are refused before parsing."""
    knowledge_max_total_mb: float = 50.0
    """The most all knowledge files together may come to, checked before parsing."""
    oruk_namespace: str | None = None
    """`navigator export oruk` / `serve-feed`: the council's UUID, so feed ids never change."""
    oruk_assurer_email: str | None = None
    """The content team's shared mailbox, published in the ORUK feed as `assurer_email`."""
    smtp_host: str | None = None
    """The mail server for warm referrals and emailed summaries (none: email is off)."""
    smtp_port: int = 587
    smtp_starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in (port 587); off only for a
    relay on the same machine or a closed network."""
    smtp_username: str | None = None
    smtp_password: str | None = None
    """Best given as NAVIGATOR_SMTP_PASSWORD in the environment, not in the settings file."""
    smtp_from: str | None = None
    """The sender address services and residents see, e.g. advocates@northbrook.gov.uk."""
    smtp_timeout_seconds: float = 20.0

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "navigator.sqlite3"

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    def with_database_path(self, path: Path) -> Settings:
        """Point the main database at a SQLite file (the `--db PATH` flag)."""
        return replace(self, database_url=f"sqlite:///{path.expanduser().resolve()}")


def load_settings(
    config_file: Path | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Build settings from the config file and environment.

    Raises `ConfigError` with a message naming the file or variable and the setting.
    """
    environ = dict(os.environ) if environ is None else environ
    values: dict[str, tuple[Any, str]] = {}
    """Each setting's raw value and where it came from, so a message names the right one."""
    path = config_file or _config_path(environ)
    if path is not None and path.exists():
        values.update({name: (raw, str(path)) for name, raw in _read_toml(path).items()})
    for item in fields(Settings):
        variable = ENV_PREFIX + item.name.upper()
        raw = environ.get(variable)
        if raw is not None and raw != "":
            values[item.name] = (raw, f"environment variable {variable}")
    return _build(values)


def _config_path(environ: dict[str, str]) -> Path | None:
    if environ.get("NAVIGATOR_CONFIG"):
        return Path(environ["NAVIGATOR_CONFIG"])
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only with a settings file: its parser compiles regexes (~2 ms of a start)

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as problem:
        raise ConfigError(f"{path}: this settings file is not valid TOML: {problem}") from None
    except OSError as problem:
        raise ConfigError(f"{path}: cannot be read ({problem.strerror})") from None


def _build(values: dict[str, tuple[Any, str]]) -> Settings:
    known = {item.name: item for item in fields(Settings)}
    converted: dict[str, Any] = {}
    for name, (raw, source) in values.items():
        if name == "retention":
            name, raw = "retention_months", parse_months(str(raw))
        if name not in known:
            allowed = ", ".join(sorted(known))
            raise ConfigError(f"{source}: '{name}' is not a setting. Settings are: {allowed}")
        converted[name] = _convert(name, raw, source)
    return Settings(**converted)


def _convert(name: str, raw: Any, source: str) -> Any:
    try:
        if name in {"knowledge", "data_dir", "config_dir", "meaning_model", "contextual_model"}:
            return Path(str(raw)).expanduser()
        if name in {"retention_months", "suppression_threshold"}:
            value = parse_months(str(raw)) if name == "retention_months" else int(raw)
            if name == "suppression_threshold" and value < 3:
                raise ValueError("it may not be under 3, or small groups could be identified")
            return value
        if name == "smtp_port":
            port = int(raw)
            if not 0 < port < 65536:
                raise ValueError("give a port from 1 to 65535 (587 with STARTTLS is usual)")
            return port
        if name == "smtp_starttls":
            return _flag(raw)
        if name == "smtp_timeout_seconds":
            seconds = float(raw)
            if seconds <= 0:
                raise ValueError("it must be more than 0")
            return seconds
        if name in {"serve_sessions", "serve_sessions_per_client"}:
            count = int(raw)
            if count < 1:
                raise ValueError("it must be at least 1, or nobody could use the page")
            return count
        if name in {"knowledge_max_file_mb", "knowledge_max_total_mb"}:
            megabytes = float(raw)
            if not 0 < megabytes <= MAX_KNOWLEDGE_MB[name]:
                raise ValueError(f"give a size in MB from 0 to {MAX_KNOWLEDGE_MB[name]:g}")
            return megabytes
        if name == "second_digit_seconds":
            seconds = float(raw)
            if not 0.3 <= seconds <= 10:
                raise ValueError("give a number of seconds from 0.3 to 10 (1.2 is usual)")
            return seconds
        if name in {"idle_timeout_seconds", "idle_warning_seconds"}:
            seconds = float(raw)
            if seconds <= 0:
                raise ValueError("it must be more than 0")
            return seconds
        if name == "suppression":
            if str(raw) not in SUPPRESSION_PRESETS:
                raise ValueError(f"choose one of {', '.join(SUPPRESSION_PRESETS)}")
            return str(raw)
        if name in {"language", "language_order"}:
            codes = raw if isinstance(raw, list) else str(raw).replace(",", " ").split()
            codes = [str(code).strip() for code in codes]
            for code in codes:
                if not _LANGUAGE_CODE.fullmatch(code):
                    raise ValueError(f"'{code}' is not a language code such as en or cy")
            if name == "language":
                if len(codes) != 1:
                    raise ValueError("give one language code, such as cy")
                return codes[0]
            return tuple(codes)
        if name == "manager_sites":
            sites = raw if isinstance(raw, list) else str(raw).replace(",", " ").split()
            sites = [str(site).strip() for site in sites]
            if not sites or not all(sites):
                raise ValueError('give the site names, such as ["central-library", "online"]')
            return tuple(dict.fromkeys(sites))
        if name == "district_populations":
            if not isinstance(raw, dict):
                raise ValueError("give a table of district = population")
            return {str(key): int(value) for key, value in raw.items()}
        return str(raw)
    except (TypeError, ValueError) as problem:
        raise ConfigError(
            f"{source}: setting '{name}' = {raw!r} cannot be used: {problem}"
        ) from None


def _flag(raw: Any) -> bool:
    """A yes/no setting from TOML (a boolean) or the environment (true/false, 1/0, yes/no)."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "1", "yes", "on"}:
        return True
    if text in {"false", "0", "no", "off"}:
        return False
    raise ValueError("write true or false")


def parse_months(text: str) -> int:
    """'24m' or '24' -> 24 months; '2y' -> 24 months."""
    match = re.fullmatch(r"\s*(\d+)\s*([my]?)\s*", text.lower())
    if not match:
        raise ValueError(f"'{text}' is not a period; write it like 24m (months) or 2y (years)")
    number, unit = int(match.group(1)), match.group(2)
    return number * 12 if unit == "y" else number
