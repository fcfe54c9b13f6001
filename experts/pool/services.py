"""Every write about the expert pool: applications, the office's decisions, terms and
appointment letters, dismissal, training records and conflicts of interest. Each locks what it
changes, takes one logged transition, and tells people after commit."""
import datetime as dt
import logging
import uuid

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EVALUATION_OFFICE, notify_role
from core.notifications import notification_send
from core.outbox import job_enqueue
from core.uploads import original_name
from core.workflow import locked_step
from experts.exceptions import AlreadyApplied, NotQualified, PoolRuleBroken
from experts.pool.models import Appointment, Conflict, Expert, ExpertFile, TrainingRecord, TrainingSession
from experts.pool.qualifications import qualification_problems

logger = logging.getLogger(__name__)
TERM_YEARS = 3  # 004 §14
PROFILE_FIELDS = ("name", "gender", "id_number", "birth_date", "mobile", "email", "employer_name",
                  "employer_credit_code", "province", "specialty", "title", "title_since", "specialty_years",
                  "management_years", "education", "cv")


def _check(data: dict) -> None:
    problems = qualification_problems(
        birth_date=data["birth_date"], title=data["title"], title_since=data.get("title_since"),
        specialty_years=data["specialty_years"], management_years=data["management_years"],
        today=timezone.localdate())
    if problems:
        raise NotQualified(" ".join(problems))


def _tell(expert: Expert, template: str, **context) -> None:
    user, url = expert.user, reverse("experts:workbench")
    transaction.on_commit(lambda: notification_send(template=template, user=user, url=url,
                                                    context={"expert": expert, **context}))


def _tell_office(expert: Expert, template: str) -> None:
    notify_role(EVALUATION_OFFICE, template=template, context={"expert": expert},
                url=reverse("admin:experts_expert_change", args=[expert.pk]))


def _locked(expert_id: int) -> Expert:
    return Expert.objects.select_for_update().select_related("user").get(pk=expert_id)


def _move(expert_id: int, step, *, then=None) -> Expert:
    return locked_step(_locked, expert_id, step, then=then, refused=lambda expert: PoolRuleBroken(
        f"该专家当前状态为“{expert.get_state_display()}”，不能进行此操作。"))


def expert_apply(*, data: dict, consent_letter, user=None, password: str = "") -> Expert:
    """Apply to the pool (004 §9): the qualifications are checked again here; a person without
    an account gets one (login by mobile). The office is told."""
    _check(data)
    try:
        with transaction.atomic():
            if user is None:
                user = get_user_model().objects.create_user(mobile=data["mobile"], email=data["email"],
                                                            password=password, name=data["name"])
            else:  # a second click waits here, then finds the first application
                get_user_model().objects.select_for_update().filter(pk=user.pk).first()
                if Expert.objects.filter(user=user).exists():
                    raise AlreadyApplied("您已提交过入库申请，请在专家工作台查看进度。")
            expert = Expert(user=user, submitted_at=timezone.now(), **{f: data.get(f) for f in PROFILE_FIELDS
                                                                      if f in data})
            expert.consent_letter_name = original_name(consent_letter)
            expert.consent_letter.save(consent_letter.name, consent_letter, save=False)
            expert.save()
            _tell_office(expert, "expert_applied")
    except IntegrityError:  # the same mobile, email or ID number, submitted twice at once or before
        raise AlreadyApplied("该手机号、邮箱或身份证号码已用于其他账号或申请，请登录后在专家工作台查看。") from None
    logger.info("expert application %s by user %s", expert.pk, user.pk)
    return expert


def expert_resubmit(*, expert_id: int, data: dict, consent_letter=None, by) -> Expert:
    """A corrected application, or one for reappointment. The old consent letter is kept."""
    _check(data)

    def resubmit(expert):
        for field in PROFILE_FIELDS:
            if field in data and field != "id_number":
                setattr(expert, field, data[field])
        if consent_letter is not None:
            ExpertFile.objects.create(expert=expert, field="所在单位同意函", file=expert.consent_letter.name,
                                      original_name=expert.consent_letter_name)
            expert.consent_letter_name = original_name(consent_letter)
            expert.consent_letter.save(consent_letter.name, consent_letter, save=False)
        expert.resubmit(at=timezone.now(), by=by, description="重新提交入库申请")

    return _move(expert_id, resubmit, then=lambda e: _tell_office(e, "expert_applied"))


def expert_approve(*, expert_id: int, by) -> Expert:
    """Appoint for a 3-year term with a numbered appointment letter (聘书) made by Celery."""
    def appoint(expert):
        today = timezone.localdate()
        # A reappointment continues from the current term's end; otherwise the term starts today.
        start = expert.term_end + dt.timedelta(days=1) if expert.term_end and expert.term_end >= today else today
        end = start + relativedelta(years=TERM_YEARS) - dt.timedelta(days=1)
        expert.appoint(start=start, end=end, by=by, description=f"聘任，聘期 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}")

    def then(expert):
        # Numbered by the row's own id, so approvals at the same moment never share a number.
        appointment = Appointment.objects.create(expert=expert, start=expert.term_start, end=expert.term_end,
                                                 number=f"PS-{uuid.uuid4().hex[:20]}", approved_by=by)
        appointment.number = f"PS{expert.term_start:%Y}{appointment.pk:05d}"
        appointment.save(update_fields=["number"])
        job_enqueue("experts.tasks.generate_appointment_letter", appointment.pk)
        _tell(expert, "expert_appointed", appointment=appointment)

    return _move(expert_id, appoint, then=then)


def appointment_letter_generate(*, appointment_id: int) -> Appointment:
    """Render the appointment letter PDF once, with a QR code to the public certificate check."""

    from core.pdf import render_pdf
    from core.qrcodes import qr_svg

    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().select_related("expert").get(pk=appointment_id)
        if appointment.letter:
            return appointment
        pdf = render_pdf("experts/appointment_letter_pdf.html", {
            "appointment": appointment, "expert": appointment.expert,
            "qr": qr_svg(letter_check_url(appointment.number))})
        appointment.letter.save(f"{appointment.number}.pdf", ContentFile(pdf), save=False)
        appointment.save(update_fields=["letter"])
    return appointment


def letter_check_url(number: str) -> str:
    """What the letter's QR code encodes: the public certificate check for this number."""
    from django.conf import settings

    return f"{settings.SITE_URL}{reverse('membership:certificate_check')}?no={number}"


def expert_return(*, expert_id: int, comment: str, by) -> Expert:
    if not (comment or "").strip():
        raise PoolRuleBroken("退回时请填写意见。")
    return _move(expert_id, lambda e: e.return_for_correction(comment=comment, by=by, description=comment),
                 then=lambda e: _tell(e, "expert_returned", comment=comment))


def expert_reject(*, expert_id: int, reason: str, by) -> Expert:
    if not (reason or "").strip():
        raise PoolRuleBroken("不予通过时请填写原因。")
    return _move(expert_id, lambda e: e.reject(reason=reason, by=by, description=reason),
                 then=lambda e: _tell(e, "expert_rejected", reason=reason))


def expert_dismiss(*, expert_id: int, reason: str, note: str, by) -> Expert:
    """End a term early on one of 004 §15's five grounds, with the leading group's approval
    stated in the note; recorded and logged."""
    if reason not in Expert.DismissalReason.values:
        raise PoolRuleBroken("请选择第十五条规定的解聘情形。")
    if not (note or "").strip():
        raise PoolRuleBroken("请填写解聘说明（含评价领导小组批准情况）。")
    label = Expert.DismissalReason(reason).label
    return _move(expert_id, lambda e: e.dismiss(reason=reason, note=note, by=by, description=f"{label}：{note[:150]}"),
                 then=lambda e: _tell(e, "expert_dismissed", reason=label))


def experts_expire(*, now) -> int:
    """Terms that ended: the expert leaves the pool (004 §14) and is told how to reapply."""
    today = timezone.localdate(now)
    with transaction.atomic():
        ended = list(Expert.objects.select_for_update(skip_locked=True)
                     .filter(state=Expert.State.APPOINTED, term_end__lt=today)[:200])
        for expert in ended:
            expert.expire(description=f"聘期于 {expert.term_end:%Y-%m-%d} 届满")
            expert.save()
            _tell(expert, "expert_term_ended")
    return len(ended)


def experts_remind(*, now) -> int:
    """60 and 30 days before a term ends, the expert is reminded (each once)."""
    today = timezone.localdate(now)
    sent = 0
    for days, flag in ((60, "reminded_60_at"), (30, "reminded_30_at")):
        with transaction.atomic():
            due = list(Expert.objects.select_for_update(skip_locked=True)
                       .filter(state=Expert.State.APPOINTED, term_end__gte=today,
                               term_end__lte=today + dt.timedelta(days=days), **{f"{flag}__isnull": True})[:200])
            for expert in due:
                setattr(expert, flag, now)
                expert.save(update_fields=[flag])
                _tell(expert, "expert_term_reminder", days=(expert.term_end - today).days)
            sent += len(due)
    return sent


def conflict_declare(*, expert_id: int, kind: str, institution_name: str, starts_on: dt.date,
                     ends_on: dt.date | None = None, institution_credit_code: str = "", note: str = "",
                     by) -> Conflict:
    """Record a conflict of interest (declared by the expert, or by the office)."""
    if ends_on is not None and ends_on < starts_on:
        raise PoolRuleBroken("截止日期不能早于起始日期。")
    with transaction.atomic():
        expert = _locked(expert_id)
        conflict = Conflict.objects.create(expert=expert, kind=kind, institution_name=institution_name.strip(),
                                           institution_credit_code=institution_credit_code, starts_on=starts_on,
                                           ends_on=ends_on, note=note, declared_by=by)
    logger.info("conflict %s recorded for expert %s by %s", conflict.pk, expert.pk, by.pk)
    return conflict


def training_record(*, session_id: int, expert_id: int, attended: bool, passed: bool, by) -> TrainingRecord:
    """Attendance and result of one expert in one session (entered or imported by the office)."""
    with transaction.atomic():
        session = TrainingSession.objects.get(pk=session_id)
        record, _ = TrainingRecord.objects.update_or_create(
            session=session, expert_id=expert_id,
            defaults={"attended": attended, "passed": passed and attended, "recorded_by": by})
    return record


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "合格", "出勤"}


def training_import(*, session_id: int, rows, by) -> tuple[int, list[str]]:
    """Import attendance and results of a session from a spreadsheet's rows (dicts with 身份证号码
    or 姓名, 出勤, 考核合格). Returns how many were recorded and, per refused row, why."""
    recorded, problems = 0, []
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            id_number = str(row.get("身份证号码") or "").strip().upper()
            name = str(row.get("姓名") or "").strip()
            experts = Expert.objects.filter(id_number=id_number) if id_number else Expert.objects.filter(name=name)
            matches = list(experts[:2])
            if len(matches) != 1:
                problems.append(f"第 {line} 行：{'找不到' if not matches else '有重名，请填写身份证号码：'}"
                                f"{id_number or name or '（空）'}")
                continue
            attended = str(row.get("出勤") or "").strip().lower() in TRUE_WORDS
            passed = str(row.get("考核合格") or "").strip().lower() in TRUE_WORDS
            training_record(session_id=session_id, expert_id=matches[0].pk, attended=attended, passed=passed, by=by)
            recorded += 1
    logger.info("training session %s: %d records imported by %s", session_id, recorded, by.pk)
    return recorded, problems
