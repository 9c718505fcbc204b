"""Checks of what an applicant types or sends: full name, phone number, CV file, comment.

Plain Python (no aiogram). Each check returns the normalized value or raises
:class:`InputError` whose ``code`` names a locale key (``application.error.<code>``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

TELEGRAM_TEXT_LIMIT = 4096  # a message's text
CAPTION_LIMIT = 1024  # a photo's caption


def telegram_length(text: str) -> int:
    """The length Telegram counts (UTF-16 code units: an emoji may count as two)."""
    return len(text.encode("utf-16-le")) // 2


class InputError(ValueError):
    """Why an input was refused; ``code`` is the locale key's last part."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- full name

NAME_MIN_LENGTH = 5
NAME_MAX_LENGTH = 100
NAME_MIN_WORDS = 2
NAME_MAX_WORDS = 4
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
_JOINERS = "-'"


def _is_name_letter(char: str) -> bool:
    """A Cyrillic (Kazakh letters included) or Latin letter."""
    if not char.isalpha():
        return False
    name = unicodedata.name(char, "")
    return name.startswith(("CYRILLIC ", "LATIN "))


def _is_name_word(word: str) -> bool:
    """Letters, with single hyphens or apostrophes between them (Abai-Uly, O'Brien)."""
    if not word or word[0] in _JOINERS or word[-1] in _JOINERS:
        return False
    previous_joiner = False
    for char in word:
        if char in _JOINERS:
            if previous_joiner:
                return False
            previous_joiner = True
        elif _is_name_letter(char):
            previous_joiner = False
        else:
            return False
    return True


def normalize_full_name(text: str) -> str:
    """2–4 words of letters, 5–100 characters; spaces collapsed, apostrophes unified.

    Codes: ``name_too_long``, ``name_too_short``, ``name_characters`` (digits, emoji,
    punctuation), ``name_words`` (fewer than 2 or more than 4 words).
    """
    if len(text) > NAME_MAX_LENGTH * 2:
        raise InputError("name_too_long")
    value = " ".join(text.translate(_APOSTROPHES).split())
    if len(value) > NAME_MAX_LENGTH:
        raise InputError("name_too_long")
    words = value.split(" ") if value else []
    if any(not _is_name_word(word) for word in words):
        raise InputError("name_characters")
    if not NAME_MIN_WORDS <= len(words) <= NAME_MAX_WORDS:
        raise InputError("name_words")
    if len(value) < NAME_MIN_LENGTH:
        raise InputError("name_too_short")
    return value


# --------------------------------------------------------------------------- phone

PHONE_MAX_LENGTH = 32
_PHONE_CHARS = re.compile(r"^\+?[\d\s\-()]+$")
_LANDLINE_AREAS = "123"


def normalize_phone(text: str) -> str:
    """A Kazakhstan mobile number (+7 7XX XXX XX XX) as ``+77XXXXXXXXX``.

    Accepted forms: ``+7 701 123 45 67``, ``87011234567``, ``77011234567``, with spaces,
    dashes and brackets. Codes: ``phone_format`` (not a phone number), ``phone_not_mobile``
    (a number, but not a Kazakhstan mobile one).
    """
    value = text.strip()
    if not value or len(value) > PHONE_MAX_LENGTH or not _PHONE_CHARS.match(value):
        raise InputError("phone_format")
    if "+" in value[1:]:
        raise InputError("phone_format")
    digits = re.sub(r"\D", "", value)
    if value.startswith("+") and not digits.startswith("7"):
        raise InputError("phone_not_mobile")
    if len(digits) != 11:
        raise InputError("phone_format")
    if digits[0] not in "78" or (value.startswith("+") and digits[0] != "7"):
        raise InputError("phone_not_mobile")
    # +7 7XX is Kazakhstan; of it, 71X–73X are landlines (727 Almaty, 7172 Astana...).
    if digits[1] != "7" or digits[2] in _LANDLINE_AREAS:
        raise InputError("phone_not_mobile")
    return "+7" + digits[1:]


# --------------------------------------------------------------------------- CV file

CV_MAX_BYTES = 10 * 1024 * 1024
# Extension → the MIME types a file with it may declare.
CV_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "doc": frozenset({"application/msword"}),
    "docx": frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "png": frozenset({"image/png"}),
}
PHOTO_FILE_NAME = "photo.jpg"
PHOTO_MIME_TYPE = "image/jpeg"
FILE_NAME_MAX_LENGTH = 256


@dataclass(frozen=True, slots=True)
class CvFile:
    """A reference to a file in Telegram; the bot never downloads it."""

    file_id: str
    file_name: str
    mime_type: str

    def to_dict(self) -> dict[str, str]:
        return {"file_id": self.file_id, "file_name": self.file_name, "mime_type": self.mime_type}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> CvFile:
        return cls(data["file_id"], data["file_name"], data["mime_type"])


def _check_size(file_size: int | None) -> None:
    # Telegram states the size of documents and photos; a missing size is not refused
    # (the Bot API marks it optional), a known one must fit.
    if file_size is not None and file_size > CV_MAX_BYTES:
        raise InputError("cv_too_large")


def check_document(
    file_id: str, file_name: str | None, mime_type: str | None, file_size: int | None
) -> CvFile:
    """A PDF, DOC, DOCX, JPG or PNG document up to 10 MB: both the extension and the
    declared MIME type must say so. Codes: ``cv_type``, ``cv_too_large``."""
    name = (file_name or "").strip()
    extension = PurePosixPath(name.lower()).suffix.removeprefix(".")
    allowed = CV_TYPES.get(extension)
    if allowed is None or (mime_type or "").lower() not in allowed:
        raise InputError("cv_type")
    _check_size(file_size)
    if len(name) > FILE_NAME_MAX_LENGTH:
        name = name[: FILE_NAME_MAX_LENGTH - len(extension) - 1] + "." + extension
    return CvFile(file_id=file_id, file_name=name, mime_type=(mime_type or "").lower())


def check_photo(file_id: str, file_size: int | None) -> CvFile:
    """A photo (Telegram sends photos as JPEG); the caller picks the largest size."""
    _check_size(file_size)
    return CvFile(file_id=file_id, file_name=PHOTO_FILE_NAME, mime_type=PHOTO_MIME_TYPE)


# --------------------------------------------------------------------------- comment

COMMENT_MAX_LENGTH = 1000


def normalize_comment(text: str) -> str:
    """Up to 1000 characters. Codes: ``comment_too_long``, ``comment_empty``."""
    value = text.strip()
    if len(value) > COMMENT_MAX_LENGTH:
        raise InputError("comment_too_long")
    if not value:
        raise InputError("comment_empty")
    return value
