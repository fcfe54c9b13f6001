"""The member certificate PDF (单位会员证书 / 个人会员证书) with a QR code to the public check."""
from django.conf import settings
from django.urls import reverse

from core.pdf import render_pdf
from core.qrcodes import qr_svg


def check_url(certificate_no: str) -> str:
    return f"{settings.SITE_URL}{reverse('membership:certificate_check')}?no={certificate_no}"


def render_certificate(term) -> bytes:
    member = term.member
    return render_pdf("membership/certificate_pdf.html", {
        "term": term, "member": member,
        "title": "单位会员证书" if member.is_unit else "个人会员证书",
        "qr": qr_svg(check_url(term.certificate_no)),
    })
