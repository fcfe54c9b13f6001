"""The check-in code a session's screen shows: signed (the site's secret key, a salt of its
own), bound to one session and to check-in or check-out, and valid for ``CODE_LIFETIME``
seconds. The staff page shows a fresh one every ``CODE_ROTATION`` seconds, so a photographed
code is useless a minute later."""
from django.core import signing

from education.exceptions import ScanRefused

CODE_ROTATION = 30
CODE_LIFETIME = 60  # the code on the screen now, or the one before it
_SALT = "education.attendance.code"


def code_make(*, session_id: int, kind: str) -> str:
    return signing.dumps({"s": session_id, "k": kind}, salt=_SALT)


def code_read(code: str, *, session_id: int) -> str:
    """The kind (in/out) the code is for; ScanRefused when it is forged, old or another session's."""
    try:
        payload = signing.loads(code, salt=_SALT, max_age=CODE_LIFETIME)
    except signing.SignatureExpired:
        raise ScanRefused("二维码已过期：请扫描现场屏幕上正在显示的二维码。") from None
    except signing.BadSignature:
        raise ScanRefused("二维码无效：请扫描现场屏幕上正在显示的二维码。") from None
    if not isinstance(payload, dict) or payload.get("s") != session_id or payload.get("k") not in ("in", "out"):
        raise ScanRefused("该二维码不属于这一课程：请扫描本课程现场屏幕上的二维码。")
    return payload["k"]
