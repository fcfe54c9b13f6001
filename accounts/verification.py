"""Proving a mobile number by SMS: a six-digit code sent at most once a minute per number
(and within the sender's address limit), valid for ten minutes and five tries. The portal
says whether a number has an account only after its owner proved it (SECURITY.md 21): until
then every answer is the same for any number."""
import datetime as dt
import logging
import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from core.ratelimits import TOO_MANY, over_limit
from core.sealing import keyed_digest
from core.sms import SmsError, send_sms

from .exceptions import VerificationRefused
from .models import MobileCode
from .validators import validate_mobile

logger = logging.getLogger(__name__)
PURPOSE = "mobile-code"
RESEND_SECONDS = 60
VALID_MINUTES = 10
MAX_TRIES = 5


def _digest(mobile: str, code: str) -> str:
    return keyed_digest(PURPOSE, f"{mobile}:{code}")


def mobile_code_send(*, mobile: str) -> None:
    """Send a fresh code to ``mobile`` (any number: the answer never says whether it is
    registered). Refused within a minute of the last one to the same number."""
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = MobileCode.objects.select_for_update().filter(mobile=mobile).first()
        if row is not None and (now - row.sent_at).total_seconds() < RESEND_SECONDS:
            wait = RESEND_SECONDS - int((now - row.sent_at).total_seconds())
            raise VerificationRefused(f"验证码已发送，请 {wait} 秒后再重新获取。")
        values = {"code_digest": _digest(mobile, code), "sent_at": now, "failed_tries": 0, "verified_at": None,
                  "expires_at": now + dt.timedelta(minutes=VALID_MINUTES)}
        try:
            with transaction.atomic():
                MobileCode.objects.update_or_create(mobile=mobile, defaults=values)
        except IntegrityError:  # another request for the same number won the race
            raise VerificationRefused("验证码已发送，请稍后再重新获取。") from None
        transaction.on_commit(lambda: _deliver(mobile, code))


def _deliver(mobile: str, code: str) -> None:
    try:
        send_sms(mobile, f"您的验证码为 {code}，{VALID_MINUTES} 分钟内有效。如非本人操作，请忽略本短信。",
                 template="verification_code", params={"code": code})
    except SmsError:
        logger.warning("verification code to %s****%s could not be sent", mobile[:3], mobile[-4:])


def mobile_code_check(*, mobile: str, code: str) -> None:
    """Accept the code last sent to ``mobile`` (once it is accepted it stays accepted until it
    expires, so a form sent back for another field does not ask again); else say why."""
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():  # a wrong try is counted even though the check is refused
        row = MobileCode.objects.select_for_update().filter(mobile=mobile).first()
        now = timezone.now()
        if row is None or row.expires_at < now:
            refusal = "请先获取短信验证码（验证码 10 分钟内有效）。"
        elif row.failed_tries >= MAX_TRIES:
            refusal = "验证码错误次数过多，请重新获取。"
        elif not secrets.compare_digest(row.code_digest, _digest(mobile, code)):
            row.failed_tries += 1
            row.save(update_fields=["failed_tries"])
            refusal = "短信验证码不正确。"
        elif row.verified_at is None:
            row.verified_at = now
            row.save(update_fields=["verified_at"])
    if refusal:
        raise VerificationRefused(refusal)


# --- on a form that creates an account ------------------------------------------------------

CODE_HELP = "发送到上面手机号的 6 位数字，10 分钟内有效。"
SMS_RATE = "10/h"  # codes sent from one address (each number: one a minute)


def code_field() -> forms.CharField:
    return forms.CharField(label="短信验证码", max_length=6, help_text=CODE_HELP)


def send_code_notice(request, mobile: str) -> tuple[str, str]:
    """获取验证码 pressed on a form: send the code and say so, as (alert tone, text); the same
    answer for any number, registered or not."""
    mobile = (mobile or "").strip()
    try:
        validate_mobile(mobile)
        if over_limit(request, group="sms-code", rate=SMS_RATE):
            raise VerificationRefused(TOO_MANY)
        mobile_code_send(mobile=mobile)
    except ValidationError as exc:
        return "danger", "；".join(exc.messages)
    except VerificationRefused as exc:
        return "warning", str(exc)
    return "success", f"验证码已发送至 {mobile[:3]}****{mobile[-4:]}，10 分钟内有效。"


def form_mobile_proven(form) -> bool:
    """A valid form's mobile is proven by its code (else the reason is put by the code field)."""
    try:
        mobile_code_check(mobile=form.cleaned_data["mobile"], code=form.cleaned_data["code"])
    except VerificationRefused as exc:
        form.add_error("code", str(exc))
        return False
    return True


def add_taken_errors(form) -> bool:
    """Once the mobile is proven: whether its mobile or email already has an account (said
    next to the field). Never asked before the proof: it would tell anyone which numbers are
    registered. True when either is taken."""
    users = get_user_model().objects
    taken = False
    if users.filter(mobile=form.cleaned_data["mobile"]).exists():
        form.add_error("mobile", "该手机号已注册，请直接登录（或使用其他手机号）。")
        taken = True
    email = (form.cleaned_data.get("email") or "").strip().lower()
    if email and users.annotate(e=Lower("email")).filter(e=email).exists():
        form.add_error("email", "该邮箱已注册，请直接登录或使用其他邮箱。")
        taken = True
    return taken
