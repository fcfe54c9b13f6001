"""Each programme's certificate and plaque PDFs (its templates), each with a QR code to the public check."""
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from core.pdf import render_pdf
from core.qrcodes import qr_svg

from .models import Evaluation


def check_url(certificate_no: str) -> str:
    return f"{settings.SITE_URL}{reverse('evaluation:registry')}?no={certificate_no}"


def certificates_generate(*, evaluation_id: int) -> str:
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update(of=("self",)).select_related(
            "member", "programme").get(pk=evaluation_id)
        if evaluation.certificate and evaluation.plaque:
            return evaluation.certificate_no
        context = {"evaluation": evaluation, "qr": qr_svg(check_url(evaluation.certificate_no)),
                   **evaluation.rules.certificate_context(evaluation)}
        evaluation.certificate.save(f"{evaluation.certificate_no}.pdf",
                                    ContentFile(render_pdf(evaluation.rules.certificate_template, context)), save=False)
        evaluation.plaque.save(f"{evaluation.certificate_no}-plaque.pdf",
                               ContentFile(render_pdf(evaluation.rules.plaque_template, context)), save=False)
        evaluation.save(update_fields=["certificate", "plaque"])
    return evaluation.certificate_no
