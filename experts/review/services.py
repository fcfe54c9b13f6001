"""Every write about an on-site review (004 §10, §20): setting it up, freezing the pool and
committing to a seed, the draw, invitations and the reserves, overrides, the institution's
challenges, the visit notice and the experts' reminders. Each locks the visit, takes logged
transitions and tells people after commit. The draw itself is experts/review/draw.py."""
import datetime as dt
import logging
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from accounts.roles import EVALUATION_OFFICE, notify_role
from core.calendar import add_working_days, provisional_note
from core.notifications import notification_send
from core.outbox import job_enqueue
from core.sealing import seal, unseal
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Evaluation
from experts.exceptions import VisitRuleBroken
from experts.pool.models import Conflict, Expert, Specialty
from experts.review import draw as drawing
from experts.review.models import MAX_GROUP, MAX_VISIT_DAYS, MIN_GROUP, Challenge, GroupReport, Invitation, Visit
from experts.review.selectors import candidate_pool, earlier_draws

logger = logging.getLogger(__name__)
NOTICE_WORKING_DAYS = 7  # 004 §20(一): 提前7个工作日通知
SEED_SEAL = "draw-seed"
WITNESS_VALUE = re.compile(r"[A-Za-z0-9]{4,32}")
Seat = Invitation.State


def earliest_first_day(today: dt.date) -> dt.date:
    """The earliest first visit day the office may set today: time for the drawn experts to
    answer, then the 7 working days' notice."""
    return add_working_days(today, settings.EXPERT_REPLY_WORKING_DAYS + NOTICE_WORKING_DAYS).date


def earliest_first_day_provisional(today: dt.date) -> bool:
    """Whether the earliest first day was counted on a guessed calendar year."""
    return add_working_days(today, settings.EXPERT_REPLY_WORKING_DAYS + NOTICE_WORKING_DAYS).provisional


def notice_possible(first_day: dt.date, today: dt.date) -> bool:
    """Whether a notice sent today still gives 7 working days before the first visit day."""
    return add_working_days(today, NOTICE_WORKING_DAYS).date <= first_day


# --- helpers --------------------------------------------------------------------------------

def locked_visit(visit_id: int) -> Visit:
    return (Visit.objects.select_for_update(of=("self",))
            .select_related("evaluation__member__user", "evaluation__programme").get(pk=visit_id))


def _take(obj, step, message: str) -> None:
    try:
        step()
    except TransitionNotAllowed:
        raise VisitRuleBroken(message) from None
    obj.save()


def _visit_url(visit: Visit) -> str:
    return reverse("experts:visit", args=[visit.pk])


def tell_expert(invitation: Invitation, template: str, url: str | None = None, **context) -> None:
    user, visit = invitation.expert.user, invitation.visit
    url = url or _visit_url(visit)
    transaction.on_commit(lambda: notification_send(template=template, user=user, url=url, context={
        "visit": visit, "invitation": invitation, **context}))


def _tell_office(visit: Visit, template: str, **context) -> None:
    notify_role(EVALUATION_OFFICE, template=template, context={"visit": visit, **context},
                url=reverse("admin:experts_visit_change", args=[visit.pk]))


def _tell_institution(visit: Visit, template: str, **context) -> None:
    evaluation_services.tell_member(visit.evaluation, template, visit=visit, **context)


def _reply_by(today: dt.date) -> dt.date:
    return add_working_days(today, settings.EXPERT_REPLY_WORKING_DAYS).date


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise VisitRuleBroken(message)
    return text


# --- setting up and drawing -----------------------------------------------------------------

def visit_create(*, evaluation_id: int, group_size: int, first_day: dt.date, last_day: dt.date,
                 specialties: list[str], agenda: str = "", staff_names: str = "", by) -> Visit:
    """The office sets up the on-site review of an evaluation whose evidence is in: group size
    (5-11), dates (at most 3 days, first day no earlier than the notice rules allow) and the
    specialties the group must cover. One open visit per evaluation (a constraint)."""
    today = timezone.localdate()
    if not MIN_GROUP <= group_size <= MAX_GROUP:
        raise VisitRuleBroken(f"专家组人数应为 {MIN_GROUP}~{MAX_GROUP} 人（管理办法第十条）。")
    if last_day < first_day:
        raise VisitRuleBroken("现场评价末日不能早于首日。")
    if (last_day - first_day).days + 1 > MAX_VISIT_DAYS:
        raise VisitRuleBroken(f"现场评价一般不超过 {MAX_VISIT_DAYS} 天（第二十条第四项）。")
    earliest = earliest_first_day(today)
    if first_day < earliest:
        raise VisitRuleBroken(f"首日最早可定为 {earliest:%Y年%m月%d日}：须留出专家答复时间，并提前 "
                              f"{NOTICE_WORKING_DAYS} 个工作日通知受评单位（第二十条第一项）。")
    specialties = [s for s in Specialty.values if s in set(specialties)]
    if len(specialties) > group_size:
        raise VisitRuleBroken("须覆盖的专业不能多于专家组人数。")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.select_for_update().get(pk=evaluation_id)
            if not can_proceed(evaluation.start_visit):
                raise VisitRuleBroken(f"该评价处于“{evaluation.get_state_display()}”阶段，不能安排现场评价。")
            visit = Visit.objects.create(evaluation=evaluation, group_size=group_size, first_day=first_day,
                                         last_day=last_day, specialties=specialties, staff_names=staff_names.strip(),
                                         created_by=by, **({"agenda": agenda.strip()} if agenda.strip() else {}))
    except IntegrityError:
        raise VisitRuleBroken("该评价已有未取消的现场评价安排。") from None
    logger.info("visit %s set up for evaluation %s by %s", visit.pk, evaluation_id, by.pk)
    return visit


def visit_freeze(*, visit_id: int, by) -> Visit:
    """冻结候选池: compute the pool and the exclusions with their reasons, store them with their
    SHA-256 digest, and commit to a fresh random seed (its hash stored, the seed sealed) before
    anything is drawn. Refused when the pool cannot seat the group or cover a specialty."""
    with transaction.atomic():
        visit = locked_visit(visit_id)
        pool, excluded = candidate_pool(visit=visit)
        evaluation = visit.evaluation
        snapshot = {
            "visit": visit.pk, "evaluation": evaluation.pk, "institution": evaluation.member.name,
            "credit_code": evaluation.member.credit_code, "programme": evaluation.programme.kind,
            "first_day": visit.first_day.isoformat(), "last_day": visit.last_day.isoformat(),
            "group_size": visit.group_size, "specialties": list(visit.specialties),
            "pool": pool, "excluded": excluded, "earlier_draws": earlier_draws(visit),
        }
        problems = drawing.shortfall(snapshot)
        if problems:
            raise VisitRuleBroken("候选池不足，不能抽取：" + "；".join(problems) + "。请调整专业要求或日期。")
        seed = drawing.fresh_seed()
        _take(visit, lambda: visit.freeze(
            snapshot=snapshot, digest=drawing.digest(snapshot), commitment=drawing.commitment(seed),
            sealed_seed=seal(SEED_SEAL, seed, pad_to=80),
            at=timezone.now(), by=by, description=f"候选池 {len(pool)} 人，排除 {len(excluded)} 人"),
            "候选池已冻结，不能重复冻结。")
    logger.info("visit %s: pool frozen (%d in, %d out) digest %s commitment %s by %s",
                visit.pk, len(pool), len(excluded), visit.pool_digest, visit.seed_commitment, by.pk)
    return visit


def visit_draw(*, visit_id: int, witness_name: str, witness_value: str, by) -> Visit:
    """抽取专家: with a supervising witness (监督人) present, who says a value of their own
    choosing, run the documented draw over the frozen pool with the committed seed mixed with
    that value; reveal the seed, record the group and the ranked reserves, invite the group."""
    witness_name = _require(witness_name, "请填写到场监督人的姓名。")[:50]
    witness_value = (witness_value or "").strip()
    if not WITNESS_VALUE.fullmatch(witness_value):
        raise VisitRuleBroken("请填写监督人现场给出的随机数：4~32 位字母或数字，由监督人自行决定。")
    if witness_name == by.get_full_name().strip():
        raise VisitRuleBroken("监督人须是抽取人以外的另一人。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        if visit.state != Visit.State.FROZEN:
            raise VisitRuleBroken("请先冻结候选池；已抽取的不能重新抽取（取消后重新安排）。")
        seed = unseal(SEED_SEAL, visit.sealed_seed)
        result = drawing.draw(visit.pool_snapshot, drawing.draw_seed(seed, witness_value))
        now, today = timezone.now(), timezone.localdate()
        _take(visit, lambda: visit.draw(result=result, seed=seed, witness_name=witness_name,
                                        witness_value=witness_value, at=now, by=by,
                                        description=f"随机抽取专家组（监督人：{witness_name}）"), "不能抽取。")
        experts = Expert.objects.select_related("user").in_bulk(result["group"] + result["reserves"])
        places = [("group", pk) for pk in result["group"]] + [("reserve", pk) for pk in result["reserves"]]
        invitations = Invitation.objects.bulk_create([
            Invitation(visit=visit, expert=experts[pk], rank=rank, drawn_as=kind)
            for rank, (kind, pk) in enumerate(places, start=1)])
        for invitation in invitations[:len(result["group"])]:
            invitation.invite(at=now, reply_by=_reply_by(today), by=by, description="抽取为专家组成员")
            invitation.save()
            tell_expert(invitation, "visit_invited", url=reverse("experts:invitation", args=[invitation.pk]))
    logger.info("visit %s drawn by %s: group %s reserves %s seed %s", visit.pk, by.pk, result["group"],
                result["reserves"], visit.seed)
    return visit


def draw_replay(visit: Visit) -> drawing.Replay:
    """Recompute a visit's draw from its stored pool and revealed seed (refused before the draw)."""
    if not visit.seed:
        raise VisitRuleBroken("尚未抽取，随机种子未公开，不能复核。")
    return drawing.replay(snapshot=visit.pool_snapshot, pool_digest=visit.pool_digest, seed=visit.seed,
                          seed_commitment=visit.seed_commitment, result=visit.result,
                          witness_value=visit.witness_value)


# --- seats, reserves and invitations ------------------------------------------------------------

def next_reserve(visit: Visit, leaving: Invitation) -> Invitation | None:
    """The reserve who takes ``leaving``'s seat: the first in rank order, or the first in rank
    order with the leaving member's specialty when it is required and nobody else seated has it."""
    reserves = list(visit.invitations.filter(state=Seat.RESERVE).select_related("expert").order_by("rank"))
    specialty = leaving.expert.specialty
    others = visit.invitations.filter(state__in=Invitation.OPEN_STATES).exclude(pk=leaving.pk)
    if specialty in visit.specialties and not others.filter(expert__specialty=specialty).exists():
        same = [r for r in reserves if r.expert.specialty == specialty]
        if same:
            return same[0]
    return reserves[0] if reserves else None


def _fill_seat(visit: Visit, leaving: Invitation, *, by, successor: Invitation | None = None) -> Invitation | None:
    """Invite the reserve next in order for the seat ``leaving`` left (or the one staff chose);
    the office is told either way (no reserve left: it must cancel and draw again)."""
    successor = successor or next_reserve(visit, leaving)
    if visit.state in (Visit.State.READY, Visit.State.NOTIFIED):
        visit.seat_reopened(by=by, description=f"{leaving.expert.name} 离组，候补递补")
        visit.save()
    if successor is not None:
        successor.invite(at=timezone.now(), reply_by=_reply_by(timezone.localdate()), replaces=leaving, by=by,
                         description=f"候补第 {successor.rank} 顺位递补 {leaving.expert.name}")
        successor.save()
        tell_expert(successor, "visit_invited", url=reverse("experts:invitation", args=[successor.pk]))
    _tell_office(visit, "visit_seat_open", invitation=leaving, successor=successor)
    return successor


def _locked_invitation(invitation_id: int, **filters) -> tuple[Visit, Invitation]:
    visit_id = Invitation.objects.filter(pk=invitation_id, **filters).values_list("visit_id", flat=True).first()
    if visit_id is None:
        raise VisitRuleBroken("没有找到该邀请。")
    visit = locked_visit(visit_id)
    invitation = visit.invitations.select_related("expert__user").get(pk=invitation_id)
    return visit, invitation


def invitation_confirm(*, invitation_id: int, by) -> Invitation:
    """确认参加: the expert takes the seat and gets the institution's materials to score; when
    every seat is confirmed the office is told it may name the head and leader and notify."""
    with transaction.atomic():
        visit, invitation = _locked_invitation(invitation_id, expert__user=by)
        _take(invitation, lambda: invitation.confirm(at=timezone.now(), by=by, description="确认参加现场评价"),
              f"该邀请当前为“{invitation.get_state_display()}”，不能确认。")
        try:
            evaluation_services.assignment_create(evaluation_id=visit.evaluation_id, evaluator=by, by=by)
        except EvaluationError as exc:
            raise VisitRuleBroken(str(exc)) from None
        if visit.invitations.filter(state=Seat.CONFIRMED).count() >= visit.group_size:
            visit.group_confirmed(by=by, description="专家组全部确认")
            visit.save()
            _tell_office(visit, "visit_group_confirmed")
    logger.info("invitation %s confirmed by %s", invitation.pk, by.pk)
    return invitation


def invitation_decline(*, invitation_id: int, reason: str, conflict_kind: str = "", by) -> Invitation:
    """婉拒: with a reason; a conflict of interest is also recorded as the expert's declaration
    (so no later draw picks them for this institution). The next reserve in order is invited."""
    reason = _require(reason, "请填写婉拒原因。")
    if conflict_kind and conflict_kind not in Conflict.Kind.values:
        raise VisitRuleBroken("请选择利益冲突的类型。")
    with transaction.atomic():
        visit, invitation = _locked_invitation(invitation_id, expert__user=by)
        _take(invitation, lambda: invitation.decline(reason=reason, at=timezone.now(), by=by,
                                                     description=reason[:200]),
              f"该邀请当前为“{invitation.get_state_display()}”，不能婉拒。")
        if conflict_kind:
            member = visit.evaluation.member
            Conflict.objects.create(expert=invitation.expert, kind=conflict_kind, institution_name=member.name,
                                    institution_credit_code=member.credit_code, starts_on=timezone.localdate(),
                                    note=f"婉拒现场评价时申报：{reason}"[:300], declared_by=by)
        _fill_seat(visit, invitation, by=by)
    logger.info("invitation %s declined by %s (conflict: %s): %s", invitation.pk, by.pk, conflict_kind or "-", reason)
    return invitation


def invitations_lapse(*, now) -> int:
    """Invitations not answered by their reply date lapse; the next reserve is invited."""
    today = timezone.localdate(now)
    lapsed = 0
    for invitation_id in list(Invitation.objects.filter(state=Seat.INVITED, reply_by__lt=today)
                              .values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            visit, invitation = _locked_invitation(invitation_id)
            if invitation.state != Seat.INVITED:
                continue
            invitation.lapse(description=f"未在 {invitation.reply_by:%Y-%m-%d} 前答复")
            invitation.save()
            _fill_seat(visit, invitation, by=None)
            lapsed += 1
    return lapsed


def invitation_override(*, visit_id: int, invitation_id: int, reason: str, by) -> Invitation:
    """Staff take a member out of the group with a written reason (logged, shown on the draw);
    the seat goes to the next reserve in rank (or by the specialty rule). Naming another
    reserve takes a second person (experts.review.approvals)."""
    reason = _require(reason, "调整抽取结果须填写书面理由。")
    with transaction.atomic():
        visit, invitation = _locked_invitation(invitation_id, visit_id=visit_id)
        seat_override(visit, invitation, reason=reason, by=by)
    logger.info("invitation %s overridden by %s: %s", invitation.pk, by.pk, reason)
    return invitation


def seat_override(visit: Visit, invitation: Invitation, *, reason: str, by, successor: Invitation | None = None,
                  approved_by=None) -> None:
    """Take ``invitation`` out of the locked visit's group and fill the seat: by rank, or with
    the named ``successor`` once a second person (``approved_by``) approved it."""
    if visit.state in (Visit.State.REPORTED, Visit.State.CANCELLED):
        raise VisitRuleBroken("该现场评价已结束，不能调整专家组。")
    if successor is not None and successor.state != Seat.RESERVE:
        raise VisitRuleBroken("替补专家须是本次抽取中尚未递补的候补。")
    named = f"（指定候补 {successor.expert.name}，经 {approved_by.get_full_name()} 批准）" if successor else ""
    _remove(visit, invitation, reason=f"工作人员调整：{reason}{named}", by=by)
    _fill_seat(visit, invitation, by=by, successor=successor)


def _remove(visit: Visit, invitation: Invitation, *, reason: str, by) -> None:
    """Take a seated member out: replaced on record, their scoring access ended, told why."""
    _take(invitation, lambda: invitation.replace(reason=reason, by=by, description=reason[:200]),
          f"{invitation.expert.name} 当前为“{invitation.get_state_display()}”，不能调整。")
    _end_access(visit, invitation, reason=reason, by=by)
    report_withdraw(visit, reason=f"专家组成员调整：{reason}", by=by)
    tell_expert(invitation, "visit_removed", url=reverse("experts:workbench"), reason=reason)


def report_withdraw(visit: Visit, *, reason: str, by) -> None:
    """A report out for signatures no longer speaks for the group once a member leaves: it goes
    back to the head (signatures voided, kept) to be compiled again with the new member's scores."""
    report = GroupReport.objects.select_for_update().filter(visit=visit, state=GroupReport.State.SIGNING).first()
    if report is not None:
        void_signatures(report)
        report.reopen(by=by, description=reason[:200])
        report.save()


def void_signatures(report: GroupReport) -> None:
    """The signatures given so far no longer count (they stay on record, marked void)."""
    report.signatures.filter(voided_at__isnull=True).update(voided_at=timezone.now())


def _end_access(visit: Visit, invitation: Invitation, *, reason: str, by) -> None:
    assignment = visit.evaluation.assignments.filter(evaluator=invitation.expert.user).first()
    if assignment is not None:
        evaluation_services.assignment_recuse(assignment_id=assignment.pk, reason=reason, by=by)


def visit_name_roles(*, visit_id: int, head_id: int, leader_id: int, by) -> Visit:
    """Name the group head (组长) and the leader (领队), two different seated members (004 §20(三))."""
    if head_id == leader_id:
        raise VisitRuleBroken("组长和领队应为两位不同的专家。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        seated = {i.pk: i for i in visit.invitations.filter(state__in=Invitation.OPEN_STATES)}
        if head_id not in seated or leader_id not in seated:
            raise VisitRuleBroken("组长和领队须从专家组成员中指定。")
        visit.invitations.exclude(role=Invitation.Role.MEMBER).update(role=Invitation.Role.MEMBER)
        visit.invitations.filter(pk=head_id).update(role=Invitation.Role.HEAD)
        visit.invitations.filter(pk=leader_id).update(role=Invitation.Role.LEADER)
    logger.info("visit %s: head %s, leader %s named by %s", visit.pk, head_id, leader_id, by.pk)
    return visit


def visit_notify(*, visit_id: int, by) -> Visit:
    """发送现场评价通知 (004 §20(一)): the dates, the group and the agenda to the institution at
    least 7 working days before the first day (refused later), with a printable notice; the
    experts are told; the institution may challenge a member within 3 working days. The first
    notice starts the evaluation's on-site step; after a replacement the notice is reissued."""
    with transaction.atomic():
        visit = locked_visit(visit_id)
        today = timezone.localdate()
        first_notice = visit.notified_at is None
        if visit.state != Visit.State.READY:
            raise VisitRuleBroken("专家组全部确认后才能发送通知。")
        roles = set(visit.invitations.filter(state=Seat.CONFIRMED).values_list("role", flat=True))
        if not {Invitation.Role.HEAD, Invitation.Role.LEADER} <= roles:
            raise VisitRuleBroken("请先指定组长和领队。")
        if first_notice and not notice_possible(visit.first_day, today):
            latest = _latest_notice_day(visit.first_day)
            raise VisitRuleBroken(
                f"现场评价通知须至少提前 {NOTICE_WORKING_DAYS} 个工作日发出（第二十条第一项）：首日 "
                f"{visit.first_day:%Y年%m月%d日} 的通知最迟应于 {latest:%Y年%m月%d日} 发出。请取消本次安排，"
                f"另定日期（今天可定的最早首日为 {add_working_days(today, NOTICE_WORKING_DAYS).date:%Y年%m月%d日}）。")
        visit.notify(at=timezone.now(), challenge_until=add_working_days(today, Challenge.CHALLENGE_DAYS).date,
                     by=by, description="发送现场评价通知" if first_notice else "专家组调整后重发现场评价通知")
        visit.notice_of = timezone.now()
        visit.save()
        if first_notice:
            try:
                evaluation_services.evaluation_start_visit(evaluation_id=visit.evaluation_id,
                                                           first_day=visit.first_day, by=by)
            except EvaluationError as exc:
                raise VisitRuleBroken(str(exc)) from None
        job_enqueue("experts.tasks.generate_visit_notice", visit.pk)
        _tell_institution(visit, "visit_notice")
        for invitation in visit.invitations.filter(state=Seat.CONFIRMED).select_related("expert__user"):
            tell_expert(invitation, "visit_notice_expert")
    logger.info("visit %s notified by %s (first notice: %s)", visit.pk, by.pk, first_notice)
    return visit


def visit_notice_warning(visit: Visit) -> str:
    """What the office should know before sending the notice today: dates it fixes (the
    challenge deadline, the 7 working days' notice) that rest on a calendar year not confirmed."""
    today = timezone.localdate()
    return provisional_note(add_working_days(today, Challenge.CHALLENGE_DAYS),
                            add_working_days(today, NOTICE_WORKING_DAYS))


def _latest_notice_day(first_day: dt.date) -> dt.date:
    day = first_day
    while not notice_possible(first_day, day):
        day -= dt.timedelta(days=1)
    return day


def visit_notice_render(*, visit_id: int) -> Visit:
    """Render the visit notice PDF for the latest notice (idempotent: done when the PDF shows it)."""
    from core.pdf import render_pdf

    with transaction.atomic():
        visit = locked_visit(visit_id)
        if visit.notice_of is None or (visit.notice and visit.notice_pdf_of == visit.notice_of):
            return visit
        group = list(visit.invitations.filter(state=Seat.CONFIRMED).select_related("expert").order_by("role", "rank"))
        pdf = render_pdf("experts/visit_notice_pdf.html", {"visit": visit, "group": group,
                                                           "evaluation": visit.evaluation})
        visit.notice.save(f"visit-{visit.pk}.pdf", ContentFile(pdf), save=False)
        visit.notice_pdf_of = visit.notice_of
        visit.save(update_fields=["notice", "notice_pdf_of"])
    return visit


def visits_remind(*, now) -> int:
    """The working day before a visit, each confirmed expert is reminded (once per visit)."""
    today = timezone.localdate(now)
    soon = add_working_days(today, 1).date
    sent = 0
    with transaction.atomic():
        for visit in (Visit.objects.select_for_update(skip_locked=True, of=("self",))
                      .filter(state=Visit.State.NOTIFIED, reminded_at__isnull=True, first_day__gt=today,
                              first_day__lte=soon).select_related("evaluation__member")[:200]):
            for invitation in visit.invitations.filter(state=Seat.CONFIRMED).select_related("expert__user"):
                tell_expert(invitation, "visit_reminder")
            visit.reminded_at = now
            visit.save(update_fields=["reminded_at"])
            sent += 1
    return sent


def visit_cancel(*, visit_id: int, reason: str, by) -> Visit:
    """Call off a visit before its draw (new dates, a new pool): the record stays and is shown
    on the next draw. A drawn visit is cancelled only with a second person's approval
    (experts.review.approvals): otherwise a group one disliked could be drawn again at will."""
    reason = _require(reason, "请填写取消原因。")
    with transaction.atomic():
        visit = locked_visit(visit_id)
        if not can_proceed(visit.cancel):
            raise VisitRuleBroken("已通知受评单位的现场评价不能取消。")
        if visit.drawn:
            raise VisitRuleBroken("专家已抽取：取消须提交申请，经另一位工作人员批准。")
        visit_call_off(visit, reason=reason, by=by)
    return visit


def visit_call_off(visit: Visit, *, reason: str, by, approved_by=None) -> None:
    """Cancel the locked visit before its notice: the record, the draw and every invitation
    stay; confirmed experts lose access and are told."""
    approval = f"（经 {approved_by.get_full_name()} 批准）" if approved_by else ""
    _take(visit, lambda: visit.cancel(reason=reason, at=timezone.now(), by=by, description=(reason + approval)[:200]),
          "已通知受评单位的现场评价不能取消。")
    for invitation in visit.invitations.exclude(state__in=[Seat.DECLINED, Seat.LAPSED, Seat.REPLACED, Seat.UNUSED]):
        if invitation.state == Seat.CONFIRMED:
            _remove(visit, invitation, reason=f"现场评价取消：{reason}", by=by)
        else:
            invitation.release(by=by, description="现场评价取消")
            invitation.save()
    logger.info("visit %s cancelled by %s (approved by %s): %s", visit.pk, by.pk,
                approved_by.pk if approved_by else "-", reason)


# --- the institution's challenges -----------------------------------------------------------

def challenge_submit(*, invitation_id: int, reason: str, by) -> Challenge:
    """申请回避: the institution names a group member it has a conflict with, within 3 working
    days of the visit notice; the office decides."""
    reason = _require(reason, "请填写申请回避的理由。")
    with transaction.atomic():
        visit, invitation = _locked_invitation(invitation_id, visit__evaluation__member__user=by)
        if visit.notified_at is None or visit.state in (Visit.State.REPORTED, Visit.State.CANCELLED):
            raise VisitRuleBroken("现场评价通知发出后才能申请专家回避。")
        if timezone.localdate() > visit.challenge_until:
            raise VisitRuleBroken(f"申请回避应在收到通知后 {Challenge.CHALLENGE_DAYS} 个工作日内提出"
                                  f"（截止 {visit.challenge_until:%Y年%m月%d日}）。")
        if invitation.state != Seat.CONFIRMED:
            raise VisitRuleBroken("该专家已不在专家组中。")
        try:
            with transaction.atomic():
                challenge = Challenge.objects.create(invitation=invitation, reason=reason, submitted_by=by)
        except IntegrityError:
            raise VisitRuleBroken("对该专家的回避申请正在处理中。") from None
        notify_role(EVALUATION_OFFICE, template="visit_challenge_submitted", context={"challenge": challenge},
                    url=reverse("admin:experts_challenge_change", args=[challenge.pk]))
    logger.info("challenge %s against invitation %s submitted by %s", challenge.pk, invitation.pk, by.pk)
    return challenge


def challenge_decide(*, challenge_id: int, upheld: bool, reason: str, by) -> Challenge:
    """The office decides a challenge with a reason. Upheld: the conflict is recorded, the
    expert leaves the group and the next reserve in order is invited; the notice is reissued
    once the group is complete again."""
    reason = _require(reason, "请填写决定理由。")
    with transaction.atomic():
        invitation_id = Challenge.objects.filter(pk=challenge_id).values_list("invitation_id", flat=True).first()
        if invitation_id is None:
            raise VisitRuleBroken("没有找到该回避申请。")
        visit, invitation = _locked_invitation(invitation_id)
        challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
        if challenge.decision != Challenge.Decision.PENDING:
            raise VisitRuleBroken("该回避申请已有决定。")
        challenge.decision = Challenge.Decision.UPHELD if upheld else Challenge.Decision.DISMISSED
        challenge.decision_reason, challenge.decided_by, challenge.decided_at = reason, by, timezone.now()
        challenge.save()
        if upheld:
            member = visit.evaluation.member
            Conflict.objects.create(expert=invitation.expert, kind=Conflict.Kind.OTHER, institution_name=member.name,
                                    institution_credit_code=member.credit_code, starts_on=timezone.localdate(),
                                    note=f"受评单位申请回避，评价办公室决定回避：{reason}"[:300], declared_by=by)
            _remove(visit, invitation, reason=f"受评单位申请回避（已支持）：{reason}", by=by)
            _fill_seat(visit, invitation, by=by)
        _tell_institution(visit, "visit_challenge_decided", challenge=challenge)
    logger.info("challenge %s decided by %s: %s (%s)", challenge.pk, by.pk, challenge.decision, reason)
    return challenge
