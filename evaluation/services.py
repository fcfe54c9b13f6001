"""Every write in evaluation. Each step locks the evaluation, takes one transition (logged by
django-fsm-log), keeps the working-day clocks in step and notifies after commit."""
import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Avg, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EVALUATION_OFFICE, role_members
from core.calendar import add_working_days
from core.notifications import notification_send
from core.outbox import job_enqueue
from core.uploads import original_name
from membership.models import Member

from .exceptions import (
    AlreadyDecided,
    AppealRefused,
    CommitteeRuleBroken,
    Incomplete,
    MissingReason,
    NotEligible,
    ResultChangeRefused,
)
from .grades import grade_for
from .models import (
    Answer,
    Appeal,
    Assignment,
    CommitteeMeeting,
    CriterionScore,
    Deadline,
    Evaluation,
    Fee,
    Objection,
    Option,
    Programme,
    SubmittedDocument,
    SupersededFile,
)
from .selectors import items_of, questionnaire_items, questionnaire_maximum

logger = logging.getLogger(__name__)
K = Deadline.Kind
WORKING_DAYS = {K.ACCEPT: 10, K.REPORT: 30, K.APPEAL_WINDOW: 5, K.APPEAL_ANSWER: 10, K.NOTICE: 7, K.FINAL_REPORT: 20}
RENEWAL_MONTHS = 6


def locked_evaluation(evaluation_id: int) -> Evaluation:
    return (Evaluation.objects.select_for_update(of=("self",))
            .select_related("programme", "member__user").get(pk=evaluation_id))


def _start_clock(evaluation: Evaluation, kind: str, start: dt.date | None = None) -> Deadline:
    """Start (or restart) one of the evaluation's clocks from ``start`` (today)."""
    start = start or timezone.localdate()
    due = add_working_days(start, WORKING_DAYS[kind])
    deadline, _ = Deadline.objects.update_or_create(evaluation=evaluation, kind=kind, defaults={
        "starts_on": start, "due_on": due.date, "provisional": due.provisional,
        "reminded_at": None, "acted_at": None, "met_at": None,
    })
    return deadline


def _meet_clock(evaluation: Evaluation, kind: str) -> None:
    Deadline.objects.filter(evaluation=evaluation, kind=kind, met_at__isnull=True).update(met_at=timezone.now())


def tell_member(evaluation: Evaluation, template: str, **context) -> None:
    user, url = evaluation.member.user, evaluation.get_absolute_url()
    transaction.on_commit(lambda: notification_send(
        template=template, user=user, url=url, context={"evaluation": evaluation, **context}))


def tell_office(evaluation: Evaluation, template: str, **context) -> None:
    url = reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])

    def send():
        for user in role_members(EVALUATION_OFFICE):
            notification_send(template=template, user=user, url=url, channels=["site", "email"],
                              context={"evaluation": evaluation, **context})

    transaction.on_commit(send)


def _require(text: str, message: str) -> None:
    if not (text or "").strip():
        raise MissingReason(message)


# --- the institution ---------------------------------------------------------------

def evaluation_start(*, member: Member, programme: Programme, declarations: list[str], by) -> Evaluation:
    """Agree to the regulation and open an application. Only active unit members may apply,
    once at a time; a published result may be renewed from 6 months before it expires."""
    if not programme.is_open:
        raise NotEligible(f"{programme.name}暂未开放申请。")
    if not member.is_unit or member.state != Member.State.ACTIVE:
        raise NotEligible("仅会员资格有效的单位会员可以申请（管理办法第十七条）。")
    missing = set(programme.declaration_list()) - set(declarations)
    if missing:
        raise Incomplete("请逐项确认承诺事项。")
    with transaction.atomic():
        # Two applications at once: the second waits here, then finds the first.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        current = member.evaluations.filter(programme=programme).exclude(
            state__in=[Evaluation.State.REJECTED, Evaluation.State.EXPIRED, Evaluation.State.REVOKED]) \
            .order_by("-created_at").first()
        if current and current.state != Evaluation.State.PUBLISHED:
            raise NotEligible("您已有一项正在进行的评价，请在原申请中继续办理。")
        if current:
            opens = current.valid_until - relativedelta(months=RENEWAL_MONTHS)
            if timezone.localdate() < opens:
                raise NotEligible(f"当前评价结果有效期至 {current.valid_until:%Y年%m月%d日}，"
                                  f"可于 {opens:%Y年%m月%d日} 起申请续评。")
        evaluation = Evaluation.objects.create(programme=programme, member=member, agreed_at=timezone.now(),
                                               declarations=sorted(declarations))
    logger.info("evaluation %s started by member %s", evaluation.pk, member.pk)
    return evaluation


def evaluation_upload_document(*, evaluation_id: int, document_id: int, file, by) -> SubmittedDocument:
    """Add a file to one required document (several files per document are allowed)."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state not in (Evaluation.State.DRAFT, Evaluation.State.RETURNED, Evaluation.State.SUPPLEMENT):
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
        if evaluation.state not in (Evaluation.State.DRAFT, Evaluation.State.RETURNED, Evaluation.State.SUPPLEMENT):
            raise Incomplete("当前阶段不能修改申报材料。")
        evaluation.documents.filter(pk=submitted_id).update(superseded=True)


def evaluation_submit(*, evaluation_id: int, handler_name: str, handler_mobile: str, by) -> Evaluation:
    """Submit for acceptance: every document has a file; the office has 10 working days."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        present = set(evaluation.documents.filter(superseded=False).values_list("document_id", flat=True))
        missing = [d.name for d in evaluation.programme.documents.all() if d.pk not in present]
        if missing:
            raise Incomplete("请上传：" + "、".join(missing) + "。")
        evaluation.handler_name, evaluation.handler_mobile = handler_name, handler_mobile
        evaluation.submit(at=timezone.now(), by=by, description="提交申报材料")
        evaluation.save()
        evaluation.documents.update(office_comment="")
        _start_clock(evaluation, K.ACCEPT)
        tell_office(evaluation, "evaluation_submitted")
    return evaluation


def evaluation_save_answers(*, evaluation_id: int, answers: dict[int, int], by) -> Decimal:
    """Save questionnaire answers (item id → option id); returns the running self-score."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state != Evaluation.State.SELF_ASSESSMENT:
            raise Incomplete("问卷当前不可填写。")
        options = Option.objects.filter(pk__in=answers.values(), criterion__programme=evaluation.programme)
        by_item = {o.criterion_id: o for o in options if answers.get(o.criterion_id) == o.pk}
        for criterion_id, option in by_item.items():
            Answer.objects.update_or_create(evaluation=evaluation, criterion_id=criterion_id,
                                            defaults={"option": option})
    return self_score(evaluation=evaluation)


def self_score(*, evaluation: Evaluation) -> Decimal:
    """The institution's self-score out of 100 (its points over the questionnaire's maximum),
    on the same scale as the evaluators' scores."""
    points = evaluation.answers.aggregate(total=Sum("option__points"))["total"] or Decimal(0)
    return out_of_100(points, questionnaire_maximum(evaluation.programme))


def out_of_100(points: Decimal, maximum: Decimal) -> Decimal:
    return (Decimal(points) * 100 / (maximum or Decimal(1))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def evaluation_submit_self_assessment(*, evaluation_id: int, by) -> Evaluation:
    """Submit the completed questionnaire; evaluators' report is due in 30 working days."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        answered = set(evaluation.answers.values_list("criterion_id", flat=True))
        unanswered = questionnaire_items(evaluation.programme).filter(required=True).exclude(pk__in=answered).count()
        if unanswered:
            raise Incomplete(f"还有 {unanswered} 道必答题未作答，请完成后再提交。")
        evaluation.submit_self_assessment(self_score=self_score(evaluation=evaluation), by=by,
                                          description="提交自评问卷")
        evaluation.save()
        _start_clock(evaluation, K.REPORT)
        tell_office(evaluation, "evaluation_self_assessed")
    return evaluation


def evaluation_resubmit_supplement(*, evaluation_id: int, by) -> Evaluation:
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        evaluation.resubmit_supplement(by=by, description="提交补充材料")
        evaluation.save()
    return evaluation


def appeal_window_closes(evaluation: Evaluation) -> dt.date | None:
    deadline = evaluation.deadlines.filter(kind=K.APPEAL_WINDOW).first()
    return deadline.due_on if deadline else None


def evaluation_appeal(*, evaluation_id: int, reasons: str, attachment=None, by) -> Appeal:
    """Appeal the initial result: once, within 5 working days; the office answers in 10."""
    _require(reasons, "请填写复议理由。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if Appeal.objects.filter(evaluation=evaluation).exists():
            raise AppealRefused("复议仅限一次，您已提出过复议申请。")
        closes = appeal_window_closes(evaluation)
        if evaluation.state != Evaluation.State.INITIAL_RESULT or closes is None or timezone.localdate() > closes:
            when = f"{closes:%Y年%m月%d日}" if closes else "—"
            raise AppealRefused(f"复议申请期已于 {when} 结束，不再受理复议申请。")
        appeal = Appeal(evaluation=evaluation, reasons=reasons)
        if attachment:
            appeal.attachment_name = original_name(attachment)
            appeal.attachment.save(attachment.name, attachment, save=False)
        appeal.save()
        evaluation.appeal(by=by, description=reasons[:200])
        evaluation.save()
        _meet_clock(evaluation, K.APPEAL_WINDOW)
        _start_clock(evaluation, K.APPEAL_ANSWER)
        tell_office(evaluation, "evaluation_appealed")
    return appeal


def objection_submit(*, evaluation_id: int, name: str, contact: str, text: str, attachment=None) -> Objection:
    """Anyone may object while an evaluation is under public notice; the office is told."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state != Evaluation.State.PUBLIC_NOTICE:
            raise Incomplete("该机构当前不在公示期内。")
        objection = Objection(evaluation=evaluation, name=name, contact=contact, text=text)
        if attachment:
            objection.attachment_name = original_name(attachment)
            objection.attachment.save(attachment.name, attachment, save=False)
        objection.save()
        tell_office(evaluation, "evaluation_objection", objection=objection)
    return objection


# --- the office -----------------------------------------------------------------------

def evaluation_accept(*, evaluation_id: int, by) -> Evaluation:
    """Accept the application; the fee follows the schedule for the institution's type."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        institution_type = evaluation.member.unit.get_institution_type_display()
        fee = Fee.objects.filter(programme=evaluation.programme, institution_type=institution_type).first()
        if fee is None:
            raise Incomplete(f"尚未设置“{institution_type}”的评价收费标准，请先在收费标准中添加。")
        evaluation.accept(fee=fee.amount, by=by, description=f"受理，评价费 {fee.amount} 元")
        evaluation.save()
        _meet_clock(evaluation, K.ACCEPT)
        tell_member(evaluation, "evaluation_accepted")
    return evaluation


def evaluation_return(*, evaluation_id: int, comment: str, by) -> Evaluation:
    """Return with a comment; per-document comments are set on the documents themselves."""
    _require(comment, "退回时请填写意见。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        evaluation.return_for_correction(comment=comment, by=by, description=comment)
        evaluation.save()
        _meet_clock(evaluation, K.ACCEPT)
        tell_member(evaluation, "evaluation_returned", comment=comment)
    return evaluation


def evaluation_reject(*, evaluation_id: int, reason: str, by) -> Evaluation:
    _require(reason, "不予受理时请说明理由。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        evaluation.reject(reason=reason, by=by, description=reason)
        evaluation.save()
        _meet_clock(evaluation, K.ACCEPT)
        tell_member(evaluation, "evaluation_rejected", reason=reason)
    return evaluation


def evaluation_fee_paid(*, evaluation_id: int, by=None) -> None:
    """payments calls this inside the paying transaction (idempotent)."""
    evaluation = locked_evaluation(evaluation_id)
    if evaluation.state != Evaluation.State.AWAITING_PAYMENT:
        return
    evaluation.fee_paid(by=by, description="评价费已缴纳")
    evaluation.save()
    tell_member(evaluation, "evaluation_fee_paid")
    tell_office(evaluation, "evaluation_fee_received")


def evaluation_request_supplement(*, evaluation_id: int, comment: str, by) -> Evaluation:
    _require(comment, "请说明需要补充的材料。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        evaluation.request_supplement(comment=comment, by=by, description=comment)
        evaluation.save()
        tell_member(evaluation, "evaluation_supplement", comment=comment)
    return evaluation


def evaluators_score(evaluation: Evaluation) -> Decimal:
    """The evaluation score: the mean of the submitted evaluators' totals (not the self-score)."""
    mean = evaluation.assignments.filter(state=Assignment.State.SUBMITTED).aggregate(mean=Avg("total"))["mean"]
    if mean is None:
        raise Incomplete("尚无评价人员提交评分。")
    return Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluation_initial_result(*, evaluation_id: int, report, by) -> Evaluation:
    """Give the initial result: evaluators' score, its grade, the report; the appeal window opens."""
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        score = evaluators_score(evaluation)
        grade = grade_for(programme=evaluation.programme, score=score)
        evaluation.report.save(f"report-{evaluation.pk}.pdf", report, save=False)
        evaluation.give_initial_result(score=score, grade=grade, by=by, description=f"初评 {score} 分，{grade}")
        evaluation.save()
        _meet_clock(evaluation, K.REPORT)
        window = _start_clock(evaluation, K.APPEAL_WINDOW)
        tell_member(evaluation, "evaluation_initial_result", closes=window.due_on)
    return evaluation


def evaluation_answer_appeal(*, evaluation_id: int, answer: str, revised_report=None, by) -> Evaluation:
    """Answer the appeal; the report may be revised once. The result goes to the committee."""
    _require(answer, "请填写复议答复。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if revised_report is not None:
            if evaluation.report_revised:
                raise AppealRefused("评价报告仅可修订一次。")
            _keep_superseded(evaluation, "report", "复议后修订评价报告", by)
            evaluation.report.save(f"report-{evaluation.pk}-revised.pdf", revised_report, save=False)
            evaluation.report_revised = True
        appeal = Appeal.objects.select_for_update().get(evaluation=evaluation)
        appeal.answer, appeal.answered_at = answer, timezone.now()
        appeal.save(update_fields=["answer", "answered_at"])
        evaluation.answer_appeal(by=by, description=answer[:200])
        evaluation.save()
        _meet_clock(evaluation, K.APPEAL_ANSWER)
        tell_member(evaluation, "evaluation_appeal_answered", answer=answer)
    return evaluation


MIN_ATTENDEES = 5
MAX_MEETINGS = 2


def evaluation_record_meeting(*, evaluation_id: int, held_on: dt.date, attendees: list[str], decision: str,
                              minutes: str, by) -> CommitteeMeeting:
    """A committee meeting (≥5 attending, an odd number; at most two per evaluation) decides:
    public notice (7 working days) or back to review."""
    attendees = [a.strip() for a in attendees if a.strip()]
    if len(attendees) < MIN_ATTENDEES or len(attendees) % 2 == 0:
        raise CommitteeRuleBroken(f"出席委员应不少于 {MIN_ATTENDEES} 人且为单数（当前 {len(attendees)} 人）。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.meetings.count() >= MAX_MEETINGS:
            raise CommitteeRuleBroken(f"每个参评机构的评审会议不得超过 {MAX_MEETINGS} 次。")
        meeting = CommitteeMeeting.objects.create(evaluation=evaluation, held_on=held_on, attendees="\n".join(attendees),
                                                  decision=decision, minutes=minutes, recorded_by=by)
        if decision == CommitteeMeeting.Decision.APPROVE:
            evaluation.committee_approve(by=by, description=f"评审会议通过（{len(attendees)} 人出席）")
            evaluation.save()
            _start_clock(evaluation, K.NOTICE)
            tell_member(evaluation, "evaluation_notice")
        else:
            evaluation.committee_send_back(by=by, description=minutes[:200] or "评审会议退回重新评价")
            evaluation.save()
            _start_clock(evaluation, K.REPORT)
    return meeting


def objection_decide(*, objection_id: int, upheld: bool, reason: str, by) -> Objection:
    """An upheld objection stops the notice and sends the evaluation back to the committee."""
    _require(reason, "请填写核查说明。")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.decision != Objection.Decision.PENDING:
            raise AlreadyDecided("该异议已处理。")
        evaluation = locked_evaluation(objection.evaluation_id)
        objection.decision = Objection.Decision.UPHELD if upheld else Objection.Decision.DISMISSED
        objection.decision_reason = reason
        objection.save(update_fields=["decision", "decision_reason"])
        if upheld:
            evaluation.uphold_objection(by=by, description=f"公示异议成立：{reason[:150]}")
            evaluation.save()
            _meet_clock(evaluation, K.NOTICE)
        elif notice_held(evaluation) and not evaluation.objections.filter(decision=Objection.Decision.PENDING).exists():
            # The notice ran its 7 working days while this objection was pending: with the last
            # one dismissed, nothing holds the result any more.
            evaluation_publish(evaluation=evaluation, by=by)
    logger.info("objection %s decided by %s: %s", objection.pk, getattr(by, "pk", None), objection.decision)
    return objection


def notice_held(evaluation: Evaluation) -> bool:
    """Under notice past its 7 working days, held only by pending objections."""
    notice = evaluation.deadlines.filter(kind=K.NOTICE).first()
    return (evaluation.state == Evaluation.State.PUBLIC_NOTICE and notice is not None and notice.met_at is None
            and notice.due_on < timezone.localdate())


def evaluation_publish(*, evaluation: Evaluation, by=None) -> Evaluation:
    """Inside a transaction holding the row: publish with a certificate number and validity."""
    now = timezone.now()
    valid_until = timezone.localdate(now) + relativedelta(years=evaluation.programme.validity_years) - dt.timedelta(days=1)
    number = f"XY{timezone.localdate(now):%Y}{evaluation.pk:06d}"
    evaluation.publish(at=now, valid_until=valid_until, certificate_no=number, by=by, description="公示期满，发布结果")
    evaluation.save()
    _meet_clock(evaluation, K.NOTICE)
    _start_clock(evaluation, K.FINAL_REPORT)
    _enqueue_certificates(evaluation.pk)
    tell_member(evaluation, "evaluation_published")
    return evaluation


def _enqueue_certificates(evaluation_id: int) -> None:
    from .tasks import generate_certificates

    job_enqueue(generate_certificates, evaluation_id)


def evaluation_upload_final_report(*, evaluation_id: int, file, by) -> Evaluation:
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state != Evaluation.State.PUBLISHED:
            raise Incomplete("结果发布后才能上传最终评价报告。")
        evaluation.final_report.save(f"final-{evaluation.pk}.pdf", file, save=False)
        evaluation.save(update_fields=["final_report"])
        _meet_clock(evaluation, K.FINAL_REPORT)
    return evaluation


def evaluation_downgrade(*, evaluation_id: int, grade: str, reason: str, by) -> Evaluation:
    """Lower a published grade (committee-approved, with reason); the certificate is reissued."""
    _require(reason, "请填写降级原因及评审领导小组核准情况。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        order = dict(evaluation.programme.grade_bands.values_list("grade", "min_score"))
        if grade not in order or order[grade] >= order.get(evaluation.grade, Decimal(101)):
            raise ResultChangeRefused("降级后的等级必须低于当前等级。")
        previous = evaluation.grade
        evaluation.downgrade(grade=grade, reason=reason, by=by, description=f"降为 {grade}：{reason[:150]}")
        for field in ("certificate", "plaque"):
            _keep_superseded(evaluation, field, f"由 {previous} 降为 {grade}，证书重新制作", by)
        evaluation.certificate = evaluation.plaque = ""
        evaluation.save()
        _enqueue_certificates(evaluation.pk)
        tell_member(evaluation, "evaluation_changed", reason=reason)
    return evaluation


def evaluation_revoke(*, evaluation_id: int, reason: str, by) -> Evaluation:
    _require(reason, "请填写撤销原因及评审领导小组核准情况。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        evaluation.revoke(reason=reason, by=by, description=reason[:200])
        evaluation.save()
        tell_member(evaluation, "evaluation_changed", reason=reason)
    return evaluation


def evaluation_extend(*, evaluation_id: int, months: int, reason: str, by) -> Evaluation:
    """One extension of at most 6 months on a written reason, kept on the record and in the log."""
    _require(reason, "请填写延期原因。")
    if not 1 <= months <= RENEWAL_MONTHS:
        raise ResultChangeRefused("延期时间为 1 至 6 个月。")
    with transaction.atomic():
        evaluation = locked_evaluation(evaluation_id)
        if evaluation.state != Evaluation.State.PUBLISHED or evaluation.extended:
            raise ResultChangeRefused("每项评价结果只能延期一次。")
        valid_until = evaluation.valid_until + relativedelta(months=months)
        evaluation.extend(valid_until=valid_until, reason=reason, by=by,
                          description=f"延期 {months} 个月至 {valid_until:%Y-%m-%d}：{reason[:150]}")
        evaluation.save()
    logger.info("evaluation %s extended by %s months by %s", evaluation.pk, months, by.pk)
    return evaluation


def _keep_superseded(evaluation: Evaluation, field: str, reason: str, by) -> None:
    """Before a file of the evaluation is replaced or cleared, keep the old one as history."""
    current = getattr(evaluation, field)
    if current:
        SupersededFile.objects.create(evaluation=evaluation, field=evaluation._meta.get_field(field).verbose_name,
                                      file=current.name, reason=reason, replaced_by=by)


# --- evaluators -------------------------------------------------------------------------

def assignment_save_scores(*, assignment_id: int, scores: dict[int, tuple[Decimal, str]], comment: str,
                           submit: bool, by) -> Assignment:
    """Save an evaluator's per-item scores (each within the item's maximum, with a comment);
    submitting needs every item scored and fixes the total, normalised to 100."""
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().select_related("evaluation").get(pk=assignment_id,
                                                                                          evaluator=by)
        if assignment.state == Assignment.State.SUBMITTED:
            raise Incomplete("评分已提交，不能再修改。")
        if assignment.evaluation.state != Evaluation.State.UNDER_REVIEW:
            raise Incomplete("该评价当前不在评价阶段。")
        items = list(items_of(assignment.evaluation.programme))
        maximum = {item.pk: item.max_points or Decimal(0) for item in items}
        texts = {item.pk: item.text for item in items}
        for criterion_id, (score, note) in scores.items():
            if criterion_id not in maximum:
                continue
            if not Decimal(0) <= score <= maximum[criterion_id]:
                top = f"{maximum[criterion_id]:.2f}".rstrip("0").rstrip(".")
                raise Incomplete(f"“{texts[criterion_id][:40]}”的评分应在 0 至 {top} 分之间。")
            CriterionScore.objects.update_or_create(assignment=assignment, criterion_id=criterion_id,
                                                    defaults={"score": score, "comment": note})
        assignment.comment = comment
        if submit:
            scored = dict(assignment.scores.values_list("criterion_id", "score"))
            if set(scored) != set(maximum):
                raise Incomplete("请对全部评价条目评分后再提交。")
            assignment.total = out_of_100(sum(scored.values()), sum(maximum.values()))
            assignment.state, assignment.submitted_at = Assignment.State.SUBMITTED, timezone.now()
        assignment.save()
        if submit and not assignment.evaluation.assignments.filter(state=Assignment.State.ASSIGNED).exists():
            tell_office(assignment.evaluation, "evaluation_scores_complete",
                        score=evaluators_score(assignment.evaluation))
    return assignment


def assignment_tell_evaluator(assignment: Assignment) -> None:
    """After commit: the evaluator hears of the new task, with a link to it in the workbench."""
    evaluation, user = assignment.evaluation, assignment.evaluator
    url = reverse("experts:assignment", args=[assignment.pk])
    transaction.on_commit(lambda: notification_send(template="evaluation_assigned", user=user, url=url,
                                                    context={"evaluation": evaluation, "url": url}))


def assignment_recuse(*, assignment_id: int, reason: str, by) -> Assignment:
    """End an assignment because of a conflict of interest found after it was made. It stays
    on record as recused (with its scores, excluded from the result) and the evaluator loses
    access to the evaluation and its files at once."""
    _require(reason, "请填写回避原因。")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
        if assignment.state == Assignment.State.RECUSED:
            return assignment
        assignment.state = Assignment.State.RECUSED
        assignment.recused_at, assignment.recused_reason = timezone.now(), reason
        assignment.save(update_fields=["state", "recused_at", "recused_reason"])
    logger.info("assignment %s recused by %s: %s", assignment.pk, getattr(by, "pk", None), reason)
    return assignment


def standard_import(*, programme: Programme, chapters: list[dict]) -> int:
    """Create a programme's standard from data: ``[{"text": chapter, "items": [{"text",
    "max_points", "evidence_required", "guidance", "options": [(label, points)]}]}]``; credit
    items carry self-assessment options (an item's maximum defaults to its best option).
    Returns the number of items created."""
    from .models import Criterion

    created = 0
    with transaction.atomic():
        start = programme.criteria.filter(parent__isnull=True).count()
        for chapter_no, chapter in enumerate(chapters, start=start + 1):
            parent = Criterion.objects.create(programme=programme, code=str(chapter_no), text=chapter["text"],
                                              position=chapter_no)
            for item_no, item in enumerate(chapter["items"], start=1):
                options = item.get("options", [])
                best = max((Decimal(points) for _, points in options), default=None)
                criterion = Criterion.objects.create(
                    programme=programme, parent=parent, code=f"{chapter_no}.{item_no}", text=item["text"],
                    max_points=Decimal(item.get("max_points", best if best is not None else 0)),
                    evidence_required=item.get("evidence_required", False), guidance=item.get("guidance", ""),
                    position=item_no)
                Option.objects.bulk_create([Option(criterion=criterion, text=label, points=Decimal(points), position=n)
                                            for n, (label, points) in enumerate(options)])
                created += 1
    logger.info("standard of %s: %d items imported", programme, created)
    return created
