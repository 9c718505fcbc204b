"""HR command line: screen a profile file against one position, list matching positions, or
print the machine's reading of the criteria for HR to sign off.

    python -m bot screen --position 14 --profile applicant.json [--lang ru|kk]
    python -m bot match --profile applicant.json [--lang ru|kk]
    python -m bot criteria [--position N] [--format md|xlsx] [--output FILE] [--lang ru|kk]
    python -m bot qr --position 38 --source <code> [--format png|svg|pdf] [--output FILE]
                     [--bot-username NAME]

``qr`` writes a poster: the QR code of ``https://t.me/<bot>?start=pos_<n>-src_<code>`` and
the position's title in Kazakh and Russian (default file ``poster-<n>-<code>.<format>``).
The bot's username comes from ``--bot-username`` or the ``BOT_USERNAME`` setting (the
environment or ``.env``): no network is needed.

``screen`` and ``match`` print JSON on stdout; ``criteria`` prints Markdown, or writes an
Excel workbook (``--output``, default ``criteria.xlsx``). Bad input (unknown position,
unreadable or invalid profile, unknown ids, a catalogue error) prints one line on stderr
and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.catalogue.loader import DEFAULT_CATALOGUE_PATH, CatalogueError, load_catalogue
from bot.catalogue.models import Catalogue, Position
from bot.i18n import SUPPORTED_LANGS, Translator, default_translator
from bot.screening.criteria_sheet import sheet_rows, to_markdown, to_xlsx
from bot.screening.engine import get_screener
from bot.screening.profile import Profile, validate_profile_ids
from bot.screening.render import render_reason, suggestion_reason

EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Bad input: the message is printed on one line to stderr."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli", description="Screen applicant profiles against positions."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--profile", required=True, type=Path, help="profile JSON file")
        p.add_argument("--lang", choices=SUPPORTED_LANGS, default="ru", help="output language")
        p.add_argument(
            "--catalogue",
            type=Path,
            default=DEFAULT_CATALOGUE_PATH,
            help="positions.json to use (default: data/positions.json)",
        )

    screen_p = sub.add_parser("screen", help="screen a profile against one position")
    screen_p.add_argument("--position", required=True, type=int, help="seed number of the position")
    common(screen_p)
    match_p = sub.add_parser("match", help="list the positions a profile matches")
    common(match_p)
    criteria_p = sub.add_parser("criteria", help="the criteria as the bot reads them")
    criteria_p.add_argument("--position", type=int, help="only this position (seed number)")
    criteria_p.add_argument("--format", choices=("md", "xlsx"), default="md")
    criteria_p.add_argument("--output", type=Path, help="file to write (xlsx: criteria.xlsx)")
    criteria_p.add_argument("--lang", choices=SUPPORTED_LANGS, default="ru")
    criteria_p.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE_PATH, help="positions.json to use"
    )
    qr_p = sub.add_parser("qr", help="a QR poster of a position's link with a source")
    qr_p.add_argument("--position", required=True, type=int, help="seed number of the position")
    qr_p.add_argument("--source", required=True, help="source code: 1-32 of A-Z a-z 0-9 _")
    qr_p.add_argument("--format", choices=("png", "svg", "pdf"), default="png")
    qr_p.add_argument("--output", type=Path, help="file to write (poster-<n>-<code>.<format>)")
    qr_p.add_argument(
        "--bot-username", help="the bot's @username (default: the BOT_USERNAME setting)"
    )
    qr_p.add_argument(
        "--catalogue", type=Path, default=DEFAULT_CATALOGUE_PATH, help="positions.json to use"
    )
    return parser


def _bot_username(given: str | None) -> str:
    """``--bot-username``, else ``BOT_USERNAME`` from the environment or ``.env``."""
    value = given or os.environ.get("BOT_USERNAME")
    if not value and Path(".env").is_file():
        from dotenv import dotenv_values

        value = dotenv_values(".env").get("BOT_USERNAME")
    name = (value or "").strip().removeprefix("@")
    if not name:
        raise CliError("no bot username: pass --bot-username or set BOT_USERNAME")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", name):
        raise CliError(f"not a bot username: {name!r}")
    return name


def _qr(args: argparse.Namespace, catalogue: Catalogue, translator: Translator) -> None:
    from bot.rendering.poster import POSTERS
    from bot.services.sources import position_payload

    position = _find_position(catalogue, args.position)
    try:
        payload = position_payload(position.number, args.source)
    except ValueError as exc:
        raise CliError(f"bad --source {args.source!r}: {exc}") from None
    link = f"https://t.me/{_bot_username(args.bot_username)}?start={payload}"
    titles = [position.title.get("kk"), position.title.get("ru")]
    note = translator("kk", "sources.poster.scan") + " / " + translator("ru", "sources.poster.scan")
    fmt: str = args.format
    output: Path = args.output or Path(f"poster-{position.number}-{args.source}.{fmt}")
    try:
        output.write_bytes(POSTERS[fmt](link, titles, note))
    except OSError as exc:
        raise CliError(f"{output}: cannot write: {exc.strerror}") from None
    print(f"{output}: {link}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _load_profile(path: Path, catalogue: Catalogue) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot read the profile: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: the profile is not UTF-8 text") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON: {exc}") from None
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc']) or '(profile)'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise CliError(f"{path}: invalid profile: " + "; ".join(problems)) from None
    errors = validate_profile_ids(profile, catalogue)
    if errors:
        raise CliError(f"{path}: " + "; ".join(errors))
    return profile


def _find_position(catalogue: Catalogue, number: int) -> Position:
    for position in catalogue.positions:
        if position.number == number:
            return position
    # The Russian heading's number where it differs (42 is headed 43 in Russian).
    for position in catalogue.positions:
        if position.number_ru == number:
            return position
    raise CliError(f"unknown position {number}")


def _screen(args: argparse.Namespace, catalogue: Catalogue, translator: Translator) -> Any:
    position = _find_position(catalogue, args.position)
    if position.criteria is None:
        raise CliError(f"position {position.number} has no screening criteria yet")
    profile = _load_profile(args.profile, catalogue)
    result = get_screener(catalogue).screen(position, profile)
    lang: str = args.lang
    return {
        "position": position.number,
        "title": position.title.get(lang),
        "verdict": result.verdict,
        "criteria": [
            {
                "criterion": r.criterion,
                "status": r.status,
                "reason_key": r.reason,
                "reason": render_reason(r, lang, translator, catalogue),
            }
            for r in result.criteria
        ],
    }


def _match(args: argparse.Namespace, catalogue: Catalogue, translator: Translator) -> Any:
    profile = _load_profile(args.profile, catalogue)
    screener = get_screener(catalogue)
    lang: str = args.lang
    matches = []
    for position in screener.match(profile):
        result = screener.screen_matched(position, profile)
        matches.append(
            {
                "number": position.number,
                "title": position.title.get(lang),
                "verdict": result.verdict,
                "why": suggestion_reason(result, lang, translator, catalogue),
            }
        )
    return {"matches": matches}


def _criteria(args: argparse.Namespace, catalogue: Catalogue, translator: Translator) -> None:
    number = None
    if args.position is not None:
        number = _find_position(catalogue, args.position).number
    lang: str = args.lang
    rows = sheet_rows(catalogue, lang, translator, number)
    if args.format == "xlsx":
        output: Path = args.output or Path("criteria.xlsx")
        try:
            output.write_bytes(to_xlsx(rows, lang, translator))
        except OSError as exc:
            raise CliError(f"{output}: cannot write: {exc.strerror}") from None
        print(f"{output}: {len(rows)} rows")
        return
    text = to_markdown(rows, lang, translator)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror}") from None
        return
    sys.stdout.write(text)


def run_cli(argv: list[str]) -> int:
    """Run the command line; ``argv`` excludes the program name. Returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # usage errors (status 2) and --help (status 0)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        catalogue = load_catalogue(args.catalogue)
        translator = default_translator()
        if args.command == "criteria":
            _criteria(args, catalogue, translator)
            return 0
        if args.command == "qr":
            _qr(args, catalogue, translator)
            return 0
        if args.command == "screen":
            output = _screen(args, catalogue, translator)
        else:
            output = _match(args, catalogue, translator)
    except (CliError, CatalogueError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(output, ensure_ascii=False, indent=2))
    return 0


def main() -> None:
    sys.exit(run_cli(sys.argv[1:]))


if __name__ == "__main__":
    main()
