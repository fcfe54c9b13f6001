"""Applying: agreeing to the regulation, uploading documents, submitting, and the office's
acceptance decision (accept, return with comments, reject)."""
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from core.uploads import original_name
from membership.models import Member

from ..application_form import section
from ..exceptions import Incomplete, NotEligible
from ..models import ApplicationForm, Evaluation, Fee, Programme, SubmittedDocument
from ._common import (
    K,
    evaluation_move,
    locked_evaluation,
    logger,
    meet_clock,
    require,
    tell_member,
    tell_office,
)
from .application_form import (
    acceptance_notice_request,
    application_form_check,
    application_form_comment,
    application_form_submitted,
)
from .provincial import acceptance_clocks_start

RENEWAL_MONTHS = 6


def evaluation_start(*, member: Member, programme: Programme, declarations: list[str], by) -> Evaluation:
    """Agree to the regulation and open an application: the programme says who may apply;
    one application at a time (a constraint and a lock on the member); a published result
    may be renewed from 6 months before it expires."""
    if not programme.is_open:
        raise NotEligible(f"{programme.name}暂未开放申请。")
    unmet = programme.rules.unmet_conditions(member, timezone.localdate())
    if unmet:
        raise NotEligible(" ".join(unmet))
    if set(programme.declaration_list()) - set(declarations):
        raise Incomplete("请逐项确认承诺事项。")
    with transaction.atomic():
        # Two applications at once: the second waits here, then finds the first.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        current = (member.evaluations.filter(programme=programme).exclude(state__in=Evaluation.CLOSED_STATES)
                   .order_by("-created_at").first())
        if current and not current.is_current_result:
            raise NotEligible("您已有一项正在进行的评价，请在原申请中继续办理。")
        if current:
            opens = current.valid_until - relativedelta(months=RENEWAL_MONTHS)
            if timezone.localdate() < opens:
                raise NotEligible(f"当前评价结果有效期至 {current.valid_until:%Y年%m月%d日}，"
                                  f"可于 {opens:%Y年%m月%d日} 起申请续评。")
        evaluation = Evaluation.objects.create(programme=programme, member=member, agreed_at=timezone.now(),
                                               declarations=sorted(declarations))
        if programme.rules.application_form:
            ApplicationForm.objects.create(evaluation=evaluation)
    logger.info("evaluation %s started by member %s", evaluation.pk, member.pk)
    return evaluation


def evaluation_upload_document(*, evaluation_id: int, document_id: int, file, by) -> SubmittedDocument:
    """Add a file to one required document (several files per document are allowed)."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not evaluation.documents_open:
            raise Incomplete("当前阶段不能上传申报材料。")
        document = evaluation.programme.documents.get(pk=document_id)
        submitted = SubmittedDocument(evaluation=evaluation, document=document, original_name=original_name(file))
        submitted.file.save(file.name, file, save=False)
        submitted.save()
    return submitted


def evaluation_remove_document(*, evaluation_id: int, submitted_id: int, by) -> None:
    """Take a file out of the application: it stays on record as superseded, never deleted."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if not evaluation.documents_open:
            raise Incomplete("当前阶段不能修改申报材料。")
        evaluation.documents.filter(pk=submitted_id).update(superseded=True)


def evaluation_submit(*, evaluation_id: int, handler_name: str, handler_mobile: str, by) -> Evaluation:
    """Submit for acceptance: every document has a file (and, where the programme has an online
    form, the form is complete and the signed scan is of its current version); the office has
    10 working days, after the provincial association's 15 where there is one."""
    def submit(evaluation):
        if evaluation.rules.application_form:
            application_form_check(evaluation)
        present = set(evaluation.documents.filter(superseded=False).values_list("document_id", flat=True))
        missing = [d.name for d in evaluation.programme.documents.all() if d.pk not in present]
        if missing:
            raise Incomplete("请上传：" + "、".join(missing) + "。")
        evaluation.handler_name, evaluation.handler_mobile = handler_name, handler_mobile
        evaluation.submit(at=timezone.now(), by=by, description="提交申报材料")

    def then(evaluation):
        evaluation.documents.update(office_comment="")
        if evaluation.rules.application_form:
            application_form_submitted(evaluation, by)
        review = acceptance_clocks_start(evaluation)
        tell_office(evaluation, "evaluation_submitted", review=review)

    return evaluation_move(evaluation_id, submit, then=then)


def evaluation_accept(*, evaluation_id: int, by) -> Evaluation:
    """Accept the application. Credit: the fee follows the schedule for the institution's type."""
    def accept(evaluation):
        if not evaluation.provincial_cleared():
            raise Incomplete("省级协会尚未同意上报：请等待其审核意见，逾期未审的可记录后直接审核；"
                             "不同意上报的请退回修改或不予受理。")
        fee = None
        if evaluation.rules.charges_fee:
            institution_type = evaluation.member.unit.get_institution_type_display()
            row = Fee.objects.filter(programme=evaluation.programme, institution_type=institution_type).first()
            if row is None:
                raise Incomplete(f"尚未设置“{institution_type}”的评价收费标准，请先在收费标准中添加。")
            fee = row.amount
        evaluation.accept(fee=fee, by=by, description=f"受理，评价费 {fee} 元" if fee else "受理")

    def then(evaluation):
        _decided(evaluation)
        tell_member(evaluation, "evaluation_accepted")

    return evaluation_move(evaluation_id, accept, then=then)


def evaluation_return(*, evaluation_id: int, comment: str, by, section_comments: dict | None = None) -> Evaluation:
    """Return with a comment; per-document comments are set on the documents themselves, and
    per-section comments on the online form (all of them logged with the return)."""
    require(comment, "退回时请填写意见。")
    sections = {key: text.strip() for key, text in (section_comments or {}).items() if text and text.strip()}
    logged = "\n".join([comment, *(f"【{section(key).title}】{text}" for key, text in sections.items())])

    def then(evaluation):
        _acceptance_clocks_met(evaluation)
        if evaluation.rules.application_form:
            application_form_comment(evaluation, sections)
        tell_member(evaluation, "evaluation_returned", comment=comment)

    return evaluation_move(
        evaluation_id, lambda e: e.return_for_correction(comment=comment, by=by, description=logged), then=then)


def evaluation_reject(*, evaluation_id: int, reason: str, by) -> Evaluation:
    require(reason, "不予受理时请说明理由。")

    def then(evaluation):
        _decided(evaluation)
        tell_member(evaluation, "evaluation_rejected", reason=reason)

    return evaluation_move(evaluation_id, lambda e: e.reject(reason=reason, by=by, description=reason), then=then)


def _acceptance_clocks_met(evaluation: Evaluation) -> None:
    """The office answered: its clock, and the provincial association's if it still ran, stop."""
    meet_clock(evaluation, K.ACCEPT)
    meet_clock(evaluation, K.PROVINCIAL)


def _decided(evaluation: Evaluation) -> None:
    """The decision on acceptance: the clocks stop and, where the programme issues one, it is
    published to the applicant as a notice (004 §19(二))."""
    _acceptance_clocks_met(evaluation)
    if evaluation.rules.acceptance_notice:
        acceptance_notice_request(evaluation)


def evaluation_request_supplement(*, evaluation_id: int, comment: str, by) -> Evaluation:
    require(comment, "请说明需要补充的材料。")
    return evaluation_move(
        evaluation_id, lambda e: e.request_supplement(comment=comment, by=by, description=comment),
        then=lambda e: tell_member(e, "evaluation_supplement", comment=comment))


def evaluation_resubmit_supplement(*, evaluation_id: int, by) -> Evaluation:
    return evaluation_move(evaluation_id, lambda e: e.resubmit_supplement(by=by, description="提交补充材料"))
