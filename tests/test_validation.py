"""Checks of names, phone numbers, CV files and comments (plain Python)."""

from __future__ import annotations

import pytest

from bot.services.validation import (
    CV_MAX_BYTES,
    InputError,
    check_document,
    check_photo,
    normalize_comment,
    normalize_full_name,
    normalize_phone,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Сейтжанова Айгерим Болатқызы", "Сейтжанова Айгерим Болатқызы"),
        ("  Иванов   Иван  ", "Иванов Иван"),
        ("Өмірбек Ұлжан", "Өмірбек Ұлжан"),
        ("Ғалым Құрманғазы Іңкәрұлы Һ", "Ғалым Құрманғазы Іңкәрұлы Һ"),
        ("Anna-Maria O'Neil", "Anna-Maria O'Neil"),
        ("Д\u2019Артаньян Шарль", "Д'Артаньян Шарль"),
        ("Ли Ан", "Ли Ан"),
        ("Петров-Водкин Кузьма Сергеевич Младший", "Петров-Водкин Кузьма Сергеевич Младший"),
    ],
)
def test_good_names(text: str, expected: str) -> None:
    assert normalize_full_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Иван", "name_words"),
        ("А Б В Г Д", "name_words"),
        ("Иван 2", "name_characters"),
        ("R2D2 Robot", "name_characters"),
        ("Иван 😀 Петров", "name_characters"),
        ("Иван Петров!", "name_characters"),
        ("Иван -Петров", "name_characters"),
        ("Иван Петров--Водкин", "name_characters"),
        ("Ab C", "name_too_short"),
        ("Я Ты", "name_too_short"),
        ("а" * 300, "name_too_long"),
        ("Иван " + "б" * 100, "name_too_long"),
        ("", "name_words"),
        ("Ivan 伊万", "name_characters"),
    ],
)
def test_bad_names(text: str, code: str) -> None:
    with pytest.raises(InputError) as error:
        normalize_full_name(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        "+7 701 123 45 67",
        "+77011234567",
        "87011234567",
        "77011234567",
        "8 (701) 123-45-67",
        "+7-701-123-45-67",
        " 8 701 1234567 ",
        "+7 (701) 123 45 67",
    ],
)
def test_good_phones(text: str) -> None:
    assert normalize_phone(text) == "+77011234567"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("привет", "phone_format"),
        ("701 123 45 67", "phone_format"),
        ("+7 701 123 45 678", "phone_format"),
        ("12345", "phone_format"),
        ("+7 727 123 45 67", "phone_not_mobile"),  # an Almaty landline
        ("+7 916 123 45 67", "phone_not_mobile"),  # a Russian mobile
        ("8 7172 12 34 56", "phone_not_mobile"),  # an Astana landline
        ("+998 90 123 45 67", "phone_not_mobile"),
        ("+87011234567", "phone_not_mobile"),
        ("1" * 100, "phone_format"),
        ("+7 701 123 45 67 +", "phone_format"),
        ("", "phone_format"),
    ],
)
def test_bad_phones(text: str, code: str) -> None:
    with pytest.raises(InputError) as error:
        normalize_phone(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("cv.pdf", "application/pdf"),
        ("Резюме.PDF", "application/pdf"),
        ("cv.doc", "application/msword"),
        ("cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("scan.jpg", "image/jpeg"),
        ("scan.jpeg", "image/jpeg"),
        ("scan.png", "image/png"),
    ],
)
def test_good_documents(name: str, mime: str) -> None:
    cv = check_document("FILE", name, mime, 1024)
    assert (cv.file_id, cv.file_name, cv.mime_type) == ("FILE", name, mime)


@pytest.mark.parametrize(
    ("name", "mime", "size", "code"),
    [
        ("setup.exe", "application/x-msdownload", 1024, "cv_type"),
        ("cv.zip", "application/zip", 1024, "cv_type"),
        ("cv.pdf.exe", "application/pdf", 1024, "cv_type"),  # the mime type lies
        ("cv.pdf", "application/x-msdownload", 1024, "cv_type"),  # the name lies
        ("cv.pdf", None, 1024, "cv_type"),
        (None, "application/pdf", 1024, "cv_type"),
        ("cv", "application/pdf", 1024, "cv_type"),
        ("cv.txt", "text/plain", 10, "cv_type"),
        ("big.pdf", "application/pdf", 50 * 1024 * 1024, "cv_too_large"),
        ("big.pdf", "application/pdf", CV_MAX_BYTES + 1, "cv_too_large"),
    ],
)
def test_bad_documents(name: str | None, mime: str | None, size: int, code: str) -> None:
    with pytest.raises(InputError) as error:
        check_document("FILE", name, mime, size)
    assert error.value.code == code


def test_document_limits() -> None:
    assert check_document("F", "cv.pdf", "application/pdf", CV_MAX_BYTES).file_id == "F"
    # The Bot API marks the size optional: an unknown size is not refused.
    assert check_document("F", "cv.pdf", "application/pdf", None).file_id == "F"
    long_name = "а" * 400 + ".pdf"
    assert len(check_document("F", long_name, "application/pdf", 1).file_name) == 256
    assert check_document("F", long_name, "application/pdf", 1).file_name.endswith(".pdf")


def test_photos() -> None:
    cv = check_photo("PHOTO", 200_000)
    assert (cv.file_name, cv.mime_type) == ("photo.jpg", "image/jpeg")
    with pytest.raises(InputError) as error:
        check_photo("PHOTO", CV_MAX_BYTES + 1)
    assert error.value.code == "cv_too_large"


def test_comments() -> None:
    assert normalize_comment("  звоните после 18:00 ") == "звоните после 18:00"
    assert normalize_comment("x" * 1000) == "x" * 1000
    for text, code in [("x" * 1001, "comment_too_long"), ("   ", "comment_empty")]:
        with pytest.raises(InputError) as error:
            normalize_comment(text)
        assert error.value.code == code
