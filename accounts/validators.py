"""Input rules for the people who sign in."""
import re

from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting with 1."""
    if not MOBILE_RE.fullmatch(value or ""):
        raise ValidationError("请输入 11 位手机号码，以 1 开头。", code="invalid_mobile")


# allauth validates the username field (here: the mobile number) with these.
username_validators = [validate_mobile]
