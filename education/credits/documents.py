"""The credit certificate and the yearly transcript as PDFs (WeasyPrint, CJK font), each with
a QR code to the public certificate check."""
from django.conf import settings
from django.urls import reverse

from core.pdf import render_pdf
from core.qrcodes import qr_svg


def check_url(number: str) -> str:
    return f"{settings.SITE_URL}{reverse('membership:certificate_check')}?no={number}"


def render_certificate(certificate) -> bytes:
    award = certificate.award
    return render_pdf("education/certificate_pdf.html", {
        "certificate": certificate, "award": award, "project": award.project, "qr": qr_svg(check_url(certificate.number)),
    })


def render_transcript(transcript, summary) -> bytes:
    return render_pdf("education/transcript_pdf.html", {
        "transcript": transcript, "summary": summary, "holder": transcript.user,
    })
