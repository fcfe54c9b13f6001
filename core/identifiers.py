"""Check digits of Chinese identifiers people type into forms.

The arithmetic is python-stdnum's (``stdnum.cn.uscc`` for GB 32100-2015 unified social credit
codes, ``stdnum.cn.ric`` for GB 11643-1999 resident ID numbers); this module turns its
exceptions into messages a person can act on.
"""
import datetime as dt

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError


def credit_code_check_char(first17: str) -> str:
    """The check character that completes a credit code's first 17 characters."""
    return uscc.calc_check_digit(first17 + "0")


def id_number_check_char(first17: str) -> str:
    """The check character that completes an ID number's first 17 digits."""
    return ric.calc_check_digit(first17 + "0")


def validate_credit_code(value: str) -> None:
    """统一社会信用代码: 18 characters with a valid check character."""
    code = (value or "").strip().upper()
    try:
        uscc.validate(code)
    except InvalidChecksum:
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入。", code="credit_check") from None
    except StdnumError:
        raise ValidationError("统一社会信用代码应为 18 位：前 8 位为数字，其余为数字或大写字母（不含 I、O、Z、S、V）。",
                              code="credit_format") from None


def validate_id_number(value: str) -> None:
    """居民身份证号码: 18 characters, a valid birth date, and a valid check character.

    The region code is not checked against stdnum's table: numbers issued under codes that
    were later merged or renamed are still valid identity cards."""
    number = (value or "").strip().upper()
    if len(number) != 18 or not number.isascii() or not number[:17].isdigit() or not (
            number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号码应为 18 位，最后一位可以是数字或 X。", code="id_format")
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth") from None
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入。", code="id_check")


def birth_date_of(id_number: str) -> dt.date:
    """The holder's birth date, read from a valid ID number."""
    return ric.get_birth_date(id_number.strip().upper())


def mask_id_number(value: str) -> str:
    """An ID number as pages show it: the first 4 and last 4 characters, the rest hidden."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
