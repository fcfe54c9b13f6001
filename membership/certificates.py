"""The member certificate PDF (单位会员证书 / 个人会员证书) with a QR code to the public check."""
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.pdf import render_pdf


def check_url(certificate_no: str) -> str:
    return f"{settings.SITE_URL}{reverse('membership:certificate_check')}?no={certificate_no}"


def qr_svg(data: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1).save(buffer)
    # Our own generator's output (paths only), embedded inline: nothing is fetched.
    return mark_safe(buffer.getvalue().decode().split("?>", 1)[-1])  # noqa: S308


def render_certificate(term) -> bytes:
    member = term.member
    return render_pdf("membership/certificate_pdf.html", {
        "term": term, "member": member,
        "title": "单位会员证书" if member.is_unit else "个人会员证书",
        "qr": qr_svg(check_url(term.certificate_no)),
    })
