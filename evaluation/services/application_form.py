"""The online application form (004 annex 2-2): saving a section as typed, rendering the PDF
for signature and seal in the background, what submitting needs from the form, the copy kept
at each submission, and the 受理通知书 the office's decision produces."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.outbox import job_enqueue
from core.pdf import render_pdf

from ..application_form import SECTION_KEYS
from ..exceptions import Incomplete
from ..models import ApplicationForm, ApplicationFormVersion, Evaluation
from ._common import locked_evaluation, logger


def application_form_save(*, evaluation_id: int, section_key: str, answers: dict, by) -> ApplicationForm:
    """保存: keep one section's answers as typed (valid or not yet); when the whole form is
    complete, its PDF is rendered in the background."""
    if section_key not in SECTION_KEYS:
        raise Incomplete("申报表没有这一部分。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not evaluation.documents_open:
            raise Incomplete("申报表已提交，当前不能修改。")
        form = ApplicationForm.objects.select_for_update().get(evaluation=evaluation)
        if form.data.get(section_key) != answers:
            form.data[section_key] = answers
            form.changed_at = timezone.now()
            form.save(update_fields=["data", "changed_at"])
            logger.info("application form of evaluation %s: %s saved by user %s", evaluation.pk, section_key, by.pk)
        if not form.pdf_current and not form.filled().incomplete():
            job_enqueue("evaluation.tasks.generate_application_form_pdf", form.pk)
    return form


def application_form_render(*, form_id: int) -> ApplicationForm:
    """Render the PDF of the answers as they are now (idempotent: nothing to do when current)."""
    with transaction.atomic():
        form = (ApplicationForm.objects.select_for_update(of=("self",))
                .select_related("evaluation__member", "evaluation__programme").get(pk=form_id))
        if form.pdf_current or form.filled().incomplete():
            return form
        pdf = render_pdf("evaluation/application_form_pdf.html", {
            "evaluation": form.evaluation, "member": form.evaluation.member, "sections": form.filled().display(),
            "cover": form.data.get("cover", {}), "today": timezone.localdate()})
        form.pdf.save(f"application-{form.evaluation_id}.pdf", ContentFile(pdf), save=False)
        form.pdf_of = form.changed_at
        form.save(update_fields=["pdf", "pdf_of"])
    return form


def application_form_check(evaluation: Evaluation) -> None:
    """What submitting needs from the form: every section complete, its PDF current, and the
    signed, sealed scan uploaded after the form's last change."""
    form = evaluation.online_form
    if form is None:
        raise Incomplete("请先在线填写申报表。")
    missing = form.filled().incomplete()
    if missing:
        raise Incomplete("申报表尚未填写完整：" + "、".join(missing) + "。")
    if not form.pdf_current:
        raise Incomplete("申报表 PDF 正在生成，请稍候刷新页面，下载打印并签字盖章后再提交。")
    latest_scan = (evaluation.documents.filter(superseded=False).order_by("-uploaded_at")
                   .values_list("uploaded_at", flat=True).first())
    if latest_scan is not None and latest_scan < form.changed_at:
        raise Incomplete("上传签字盖章扫描件之后申报表又有修改，请重新下载申报表，签字盖章后上传新的扫描件。")


def application_form_submitted(evaluation: Evaluation, by) -> None:
    """Keep the answers as submitted, and clear the comments the office made last time."""
    form = evaluation.application_form
    ApplicationFormVersion.objects.create(form=form, data=form.data, submitted_at=timezone.now(), submitted_by=by)
    if form.section_comments:
        form.section_comments = {}
        form.save(update_fields=["section_comments"])


def application_form_comment(evaluation: Evaluation, section_comments: dict[str, str]) -> None:
    """The office's per-section comments when it returns the application."""
    form = evaluation.application_form
    form.section_comments = {key: text.strip() for key, text in section_comments.items() if text and text.strip()}
    form.save(update_fields=["section_comments"])


def acceptance_notice_request(evaluation: Evaluation) -> None:
    """The office decided on acceptance: the 受理通知书 (or 不予受理通知书) follows."""
    job_enqueue("evaluation.tasks.generate_acceptance_notice", evaluation.pk)


def acceptance_notice_render(*, evaluation_id: int) -> Evaluation:
    """Render the acceptance notice once (idempotent)."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.acceptance_notice:
            return evaluation
        accepted = evaluation.state != Evaluation.State.REJECTED
        pdf = render_pdf("evaluation/acceptance_notice_pdf.html", {
            "evaluation": evaluation, "accepted": accepted, "decided": _decision_day(evaluation)})
        evaluation.acceptance_notice.save(f"acceptance-{evaluation.pk}.pdf", ContentFile(pdf), save=False)
        evaluation.save(update_fields=["acceptance_notice"])
    return evaluation


def _decision_day(evaluation):
    from django_fsm_log.models import StateLog

    log = (StateLog.objects.for_(evaluation).filter(transition__in=("accept", "reject")).order_by("-timestamp")
           .first())
    return timezone.localdate(log.timestamp) if log else timezone.localdate()
