"""Every write about a committee meeting: convening it with an agenda (recusing members with a
recorded conflict automatically), recording attendance and opening the vote, a member's own
recusal, secret ballots with receipts, the count (by the programme's committee rule) and the
decisions it carries to each evaluation, the minutes (made from the record, signed by the chair
and the secretary, hash-locked), cancelling, and the leading group's written decision for a
case met on twice. Each locks the meeting; "one ballot per member per item" is a constraint."""
import datetime as dt
import hashlib
import json
import logging
import secrets
from collections import Counter
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from core.notifications import notification_send
from core.outbox import job_enqueue
from core.sealing import keyed_digest, seal, unseal
from evaluation import services as evaluation_services
from evaluation.exceptions import EvaluationError
from evaluation.models import Evaluation
from evaluation.programmes.base import SEND_BACK
from experts.committees.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    Committee,
    CommitteeMember,
    Meeting,
    MeetingMove,
    MinutesRevision,
    MinutesSignature,
    Recusal,
    SealedBallot,
    WrittenDecision,
)
from experts.committees.selectors import item_options, item_quorum
from experts.exceptions import MeetingRuleBroken
from experts.pool.selectors import conflict_reasons
from experts.review import reports

logger = logging.getLogger(__name__)
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed back
BALLOT_SEAL = "committee-ballot"
BALLOT_SEALED_BYTES = 160  # every sealed ballot is this long whatever its choice


def locked_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("committee").get(pk=meeting_id)


def _take(meeting: Meeting, step) -> None:
    try:
        step()
    except TransitionNotAllowed:
        raise MeetingRuleBroken(f"会议当前为“{meeting.get_state_display()}”，不能进行此操作，请刷新后查看。") from None
    meeting.save()


def seat_of(meeting: Meeting, user) -> CommitteeMember | None:
    """The user's current seat on the meeting's committee (None: not a member)."""
    return meeting.committee.members.filter(user=user, until__isnull=True).first()


def _tell(meeting: Meeting, members, template: str, **context) -> None:
    """Tell ``members`` about the meeting after commit, with the link to its page."""
    url = reverse("experts:meeting", args=[meeting.pk])
    for member in members:
        user = member.user
        transaction.on_commit(lambda user=user: notification_send(
            template=template, user=user, url=url, context={"meeting": meeting, **context}))


def _receipt_letters(code: str) -> str:
    """Letters and digits only, upper case: spaces, dashes and case do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_digest(code: str) -> str:
    """The hash kept on the counted ballot."""
    return hashlib.sha256(_receipt_letters(code).encode()).hexdigest()


def minutes_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- convening --------------------------------------------------------------------------------

def meeting_convene(*, committee_id: int, held_at: dt.datetime, online: bool, place: str, evaluation_ids: list[int],
                    note: str = "", by) -> Meeting:
    """Convene a meeting of a constituted committee on cases of its programme that wait for the
    committee, none of them on another open meeting or already met on twice (001 §18(五));
    members with a recorded conflict with an institution are recused from its item; the
    members are told."""
    if not (place or "").strip():
        raise MeetingRuleBroken("请填写会议地点或线上会议室。")
    if held_at < timezone.now() - dt.timedelta(hours=1):
        raise MeetingRuleBroken("会议时间不能早于现在。")
    if not evaluation_ids:
        raise MeetingRuleBroken("请至少选择一项待审议的评价。")
    with transaction.atomic():
        committee = Committee.objects.select_for_update().get(pk=committee_id)
        if committee.state != Committee.State.CONSTITUTED:
            raise MeetingRuleBroken(f"{committee.name}尚未组建完成，不能召开会议。")
        evaluations = list(Evaluation.objects.select_for_update(of=("self",)).select_related("member", "programme")
                           .filter(pk__in=evaluation_ids).order_by("pk"))
        if len(evaluations) != len(set(evaluation_ids)):
            raise MeetingRuleBroken("所选评价不存在，请刷新后重新选择。")
        for evaluation in evaluations:
            _check_ready(committee, evaluation)
        meeting = Meeting.objects.create(committee=committee, held_at=held_at, online=online, place=place.strip(),
                                         note=(note or "").strip(), convened_by=by)
        members = list(committee.members.filter(until__isnull=True).select_related("expert"))
        for position, evaluation in enumerate(evaluations, start=1):
            item = AgendaItem.objects.create(meeting=meeting, evaluation=evaluation, position=position,
                                             suggestion=evaluation.rules.committee_suggestion(evaluation))
            _recuse_conflicted(item, members, held_at)
        _tell(meeting, members, "meeting_convened")
    logger.info("meeting %s convened by %s: committee %s, %s items", meeting.pk, by.pk, committee.pk, len(evaluations))
    return meeting


def _check_ready(committee: Committee, evaluation: Evaluation) -> None:
    name = evaluation.member.name
    if evaluation.programme.kind != committee.programme_kind:
        raise MeetingRuleBroken(f"{name}的{evaluation.programme.name}不由{committee.name}审议。")
    if not evaluation.rules.allows("committee_send_back", evaluation.state):
        raise MeetingRuleBroken(f"{name}当前为“{evaluation.get_state_display()}”，不在待审议阶段。")
    rule = evaluation.rules.committee
    if evaluation.meetings_held >= rule.max_meetings:
        raise MeetingRuleBroken(f"{name}已审议 {rule.max_meetings} 次，不能再上会；请在评价页面记录评价领导小组的书面决定。")
    if AgendaItem.objects.filter(evaluation=evaluation,
                                 meeting__state__in=[Meeting.State.CONVENED, Meeting.State.VOTING]).exists():
        raise MeetingRuleBroken(f"{name}已列入另一次尚未结束的会议。")


def _recuse_conflicted(item: AgendaItem, members: list[CommitteeMember], held_at: dt.datetime) -> None:
    code, name = item.evaluation.member.credit_code, item.evaluation.member.name
    day = timezone.localdate(held_at)
    for member in members:
        if member.expert is None:
            continue
        reasons = conflict_reasons(member.expert, credit_code=code, name=name, start=day, end=day)
        if reasons:
            Recusal.objects.create(item=item, member=member, reason="；".join(reasons)[:300])


def recusal_declare(*, item_id: int, reason: str, by) -> Recusal:
    """A member declares a conflict on one item before voting on it: they leave its quorum."""
    if not (reason or "").strip():
        raise MeetingRuleBroken("请说明回避原因。")
    item = AgendaItem.objects.select_related("meeting").get(pk=item_id)
    with transaction.atomic():
        meeting = locked_meeting(item.meeting_id)
        if not meeting.is_open:
            raise MeetingRuleBroken("会议已结束，不能再申报回避。")
        member = seat_of(meeting, by)
        if member is None:
            raise MeetingRuleBroken("只有本委员会委员可以申报回避。")
        if BallotCast.objects.filter(item=item, member=member).exists():
            raise MeetingRuleBroken("您已就该议题投票，选票不可撤回。")
        recusal, created = Recusal.objects.get_or_create(item=item, member=member, defaults={
            "reason": reason.strip()[:300], "declared": True})
    if created:
        logger.info("meeting %s item %s: member %s declared a conflict", meeting.pk, item.pk, member.pk)
    return recusal


def meeting_move(*, meeting_id: int, held_at: dt.datetime, reason: str, by) -> Meeting:
    """Change the time of a meeting that has not opened (to hold it earlier or later): the
    change is kept with who, when and why, and every member is told."""
    if not (reason or "").strip():
        raise MeetingRuleBroken("请填写调整原因。")
    if held_at < timezone.now() - dt.timedelta(minutes=5):
        raise MeetingRuleBroken("会议时间不能早于现在。")
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.state != Meeting.State.CONVENED:
            raise MeetingRuleBroken(f"会议当前为“{meeting.get_state_display()}”，不能调整时间。")
        if held_at == meeting.held_at:
            raise MeetingRuleBroken("会议时间没有变化。")
        previous = meeting.held_at
        MeetingMove.objects.create(meeting=meeting, previous_held_at=previous, held_at=held_at,
                                   reason=reason.strip()[:300], by=by)
        meeting.held_at = held_at
        meeting.save(update_fields=["held_at"])
        _tell(meeting, meeting.committee.members.filter(until__isnull=True), "meeting_moved",
              previous=previous, reason=reason.strip())
    logger.info("meeting %s moved by %s from %s to %s", meeting.pk, by.pk, previous.isoformat(), held_at.isoformat())
    return meeting


def meeting_open_voting(*, meeting_id: int, present_member_ids: list[int], by) -> Meeting:
    """At the meeting's time, record who is present (every current member, present or absent)
    and open the vote. Before that time it is refused: members were told a time, and a vote
    held earlier would decide without those who came as told (move the meeting first)."""
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.state == Meeting.State.CONVENED and timezone.now() < meeting.held_at:
            raise MeetingRuleBroken(
                f"会议定于 {timezone.localtime(meeting.held_at):%Y年%m月%d日 %H:%M} 召开，届时才能记录出席并开始投票；"
                "如需提前召开，请先“调整会议时间”（委员将收到通知）。")
        members = list(meeting.committee.members.filter(until__isnull=True))
        present = set(present_member_ids)
        if not present <= {m.pk for m in members}:
            raise MeetingRuleBroken("出席人员须为本委员会现任委员。")
        if not present:
            raise MeetingRuleBroken("请勾选出席的委员。")
        for member in members:
            Attendance.objects.update_or_create(meeting=meeting, member=member, defaults={
                "present": member.pk in present, "recorded_by": by})
        _take(meeting, lambda: meeting.open_voting(
            at=timezone.now(), by=by, description=f"出席 {len(present)} 人（应到 {len(members)} 人），开始投票"))
        _tell(meeting, [m for m in members if m.pk in present], "meeting_voting")
    logger.info("meeting %s: voting opened by %s with %s present", meeting.pk, by.pk, len(present))
    return meeting


# --- voting ---------------------------------------------------------------------------------------

def ballot_cast(*, item_id: int, choice: str, by) -> str:
    """A present, non-recused member's secret ballot on one item; returns the receipt code
    (shown once) with which they can check that it was counted. The roll records that the
    member voted; the ballot is sealed until the count (see ballots_open)."""
    item = AgendaItem.objects.select_related("evaluation__programme", "evaluation__member").get(pk=item_id)
    with transaction.atomic():
        meeting = locked_meeting(item.meeting_id)
        if meeting.state != Meeting.State.VOTING:
            raise MeetingRuleBroken("该会议当前不在投票阶段。")
        member = seat_of(meeting, by)
        if member is None or not meeting.attendance.filter(member=member, present=True).exists():
            raise MeetingRuleBroken("只有出席会议的委员可以投票。")
        if item.recusals.filter(member=member).exists():
            raise MeetingRuleBroken("您须回避该议题，不参加表决。")
        if choice not in dict(item_options(item)):
            raise MeetingRuleBroken("请选择一个表决选项。")
        refusal = item_quorum(item).refusal
        if refusal:
            raise MeetingRuleBroken(f"该议题不足法定人数，不能表决：{refusal}")
        code = "-".join("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4)) for _ in range(4))
        try:
            with transaction.atomic():
                BallotCast.objects.create(item=item, member=member)
        except IntegrityError:
            raise MeetingRuleBroken("您已就该议题投票，每人一票。") from None
        SealedBallot.objects.create(
            item=item, receipt_lookup=keyed_digest(BALLOT_SEAL, _receipt_letters(code)),
            sealed=seal(BALLOT_SEAL, json.dumps({"choice": choice, "receipt": receipt_digest(code)}),
                        pad_to=BALLOT_SEALED_BYTES))
    logger.info("meeting %s item %s: a ballot was cast", meeting.pk, item.pk)  # never who chose what
    return code


def ballots_open(meeting: Meeting) -> int:
    """Open the meeting's sealed ballots into the box, in one transaction under the meeting's
    lock: the counted ballots are written in the order of their item, choice and receipt hash
    (nothing a voter's roll row says), with fresh random ids, and the sealed copies are
    removed. Returns how many were opened."""
    sealed = list(SealedBallot.objects.filter(item__meeting=meeting))
    opened = []
    for row in sealed:
        content = json.loads(unseal(BALLOT_SEAL, row.sealed))
        opened.append(Ballot(item_id=row.item_id, choice=content["choice"], receipt_digest=content["receipt"]))
    opened.sort(key=lambda ballot: (ballot.item_id, ballot.choice, ballot.receipt_digest))
    SealedBallot.objects.filter(pk__in=[row.pk for row in sealed]).delete()
    Ballot.objects.bulk_create(opened)
    return len(opened)


@dataclass(frozen=True)
class ReceiptCheck:
    """What a receipt code shows its holder: the item, their choice, whether it was counted."""

    item: AgendaItem
    choice: str
    counted: bool


def ballot_verify(code: str) -> ReceiptCheck | None:
    """The ballot a receipt belongs to, in the box or still sealed (None: no ballot carries it)."""
    letters = _receipt_letters(code or "")
    if not letters:
        return None
    related = ("item__meeting__committee", "item__evaluation__member")
    ballot = Ballot.objects.select_related(*related).filter(receipt_digest=receipt_digest(letters)).first()
    if ballot is not None:
        return ReceiptCheck(item=ballot.item, choice=ballot.choice, counted=ballot.item.meeting.state == Meeting.State.CLOSED)
    sealed = SealedBallot.objects.select_related(*related).filter(
        receipt_lookup=keyed_digest(BALLOT_SEAL, letters)).first()
    if sealed is None:
        return None
    return ReceiptCheck(item=sealed.item, choice=json.loads(unseal(BALLOT_SEAL, sealed.sealed))["choice"], counted=False)


# --- the count --------------------------------------------------------------------------------

def meeting_close(*, meeting_id: int, by) -> Meeting:
    """End the vote and count each item by its programme's committee rule: no quorum leaves
    the case for another meeting (not counted as one); otherwise the option with more than
    half of the ballots cast is decided, anything else sends the case back. The decisions go
    to the evaluations; the minutes are drawn from the record and the chair and the secretary
    are asked to sign."""
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.state != Meeting.State.VOTING:
            raise MeetingRuleBroken(f"会议当前为“{meeting.get_state_display()}”，不能计票。")
        ballots_open(meeting)
        items = list(meeting.items.select_related("evaluation__member", "evaluation__programme").order_by("position"))
        for item in items:
            _count(meeting, item, by)
        text = minutes_text(meeting)
        _take(meeting, lambda: meeting.close(at=timezone.now(), minutes=text, minutes_hash=minutes_digest(text), by=by,
                                             description="投票结束，系统计票"))
        _ask_signatures(meeting)
    logger.info("meeting %s closed by %s", meeting.pk, by.pk)
    return meeting


def _count(meeting: Meeting, item: AgendaItem, by) -> None:
    quorum = item_quorum(item)
    item.eligible = quorum.eligible
    labels = dict(item_options(item))
    ballots = Counter(item.ballots.values_list("choice", flat=True))
    item.tally = {option: ballots.get(option, 0) for option in labels}
    if quorum.refusal or not ballots:
        item.outcome = AgendaItem.NO_QUORUM
        item.record = quorum.refusal or "无人投票，本次会议未作决定。"
        item.save()
        return
    rule = item.evaluation.rules.committee
    item.outcome = rule.decision(item.tally)
    cast = sum(item.tally.values())
    votes = "，".join(f"{labels[o]} {n} 票" for o, n in item.tally.items() if n)
    item.record = (f"{meeting}：有表决权 {quorum.eligible} 人，投票 {cast} 人（{votes}），"
                   f"决定：{labels[item.outcome]}"
                   + ("" if item.outcome != SEND_BACK or ballots.get(SEND_BACK, 0) * 2 > cast
                      else "（无选项获得过半数票，按事先公布的规则退回）"))
    item.save()
    try:
        evaluation_services.evaluation_committee_decide(evaluation_id=item.evaluation_id, option=item.outcome,
                                                        record=item.record, by=by)
    except EvaluationError as exc:
        raise MeetingRuleBroken(f"{item.evaluation.member.name}：{exc}") from None
    if item.outcome == SEND_BACK:
        reports.report_send_back(evaluation_id=item.evaluation_id, reason=item.record, by=by)


# --- minutes ------------------------------------------------------------------------------------

def minutes_text(meeting: Meeting) -> str:
    """The minutes as the record says them: when and where, who attended, each item with its
    recusals, the count and the decision. Ballots are not attributed to anyone."""
    attendance = list(meeting.attendance.select_related("member").order_by("member__pk"))
    present = [a.member.name for a in attendance if a.present]
    absent = [a.member.name for a in attendance if not a.present]
    lines = [f"{meeting.committee.name}会议纪要", "",
             f"会议时间：{timezone.localtime(meeting.held_at):%Y年%m月%d日 %H:%M}",
             f"会议形式：{'线上会议' if meeting.online else '现场会议'}（{meeting.place}）",
             f"应到委员 {len(attendance)} 人，实到 {len(present)} 人：{'、'.join(present) or '无'}",
             f"缺席：{'、'.join(absent) or '无'}", ""]
    if meeting.note:
        lines += [f"会议说明：{meeting.note}", ""]
    for item in meeting.items.select_related("evaluation__member", "evaluation__programme").order_by("position"):
        labels = dict(item_options(item))
        lines.append(f"议题{item.position}：{item.evaluation.member.name}（{item.evaluation.programme.name}）")
        if item.suggestion:
            lines.append(f"  建议结论：{labels.get(item.suggestion, item.suggestion)}")
        for recusal in item.recusals.select_related("member"):
            lines.append(f"  回避：{recusal.member.name}（{'本人申报' if recusal.declared else '利益冲突'}：{recusal.reason}）")
        if item.outcome == AgendaItem.NO_QUORUM:
            lines.append(f"  未作决定：{item.record}")
        else:
            votes = "，".join(f"{labels[o]} {n} 票" for o, n in item.tally.items())
            lines.append(f"  有表决权 {item.eligible} 人，计票：{votes}")
            lines.append(f"  决定：{labels.get(item.outcome, item.outcome)}")
        lines.append("")
    lines.append("表决以不记名方式在线进行，由系统计票；投票人可凭回执码核对本人选票已计入。")
    return "\n".join(lines)


def _ask_signatures(meeting: Meeting) -> None:
    signers = meeting.committee.members.filter(until__isnull=True).exclude(role=CommitteeMember.Role.MEMBER)
    _tell(meeting, signers, "meeting_minutes_to_sign")


def minutes_edit(*, meeting_id: int, text: str, reason: str, by) -> Meeting:
    """Change the minutes after the count (a correction, a remark): the old text, hash and PDF
    are kept with who, when and why; the new hash voids the signatures given so far."""
    if not (reason or "").strip():
        raise MeetingRuleBroken("请填写修改原因。")
    if not (text or "").strip():
        raise MeetingRuleBroken("会议纪要不能为空。")
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.state != Meeting.State.CLOSED:
            raise MeetingRuleBroken("计票完成后才有会议纪要。")
        text = text.strip().replace("\r\n", "\n")
        if text == meeting.minutes:
            raise MeetingRuleBroken("纪要内容没有变化。")
        MinutesRevision.objects.create(meeting=meeting, previous_text=meeting.minutes,
                                       previous_hash=meeting.minutes_hash, previous_pdf=meeting.minutes_pdf.name or "",
                                       reason=reason.strip()[:300], by=by)
        meeting.minutes, meeting.minutes_hash, meeting.minutes_pdf = text, minutes_digest(text), ""
        meeting.save(update_fields=["minutes", "minutes_hash", "minutes_pdf"])
        _ask_signatures(meeting)
    logger.info("meeting %s: minutes edited by %s", meeting.pk, by.pk)
    return meeting


def minutes_sign(*, meeting_id: int, content_hash: str, by) -> MinutesSignature:
    """The chair or the secretary signs the minutes they read (their hash); when both have
    signed the current text, the PDF is made (Celery, via the outbox)."""
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.state != Meeting.State.CLOSED:
            raise MeetingRuleBroken("计票完成后才能签署会议纪要。")
        member = seat_of(meeting, by)
        if member is None or member.role == CommitteeMember.Role.MEMBER:
            raise MeetingRuleBroken("会议纪要由主任（组长）和秘书签字。")
        if content_hash != meeting.minutes_hash:
            raise MeetingRuleBroken("会议纪要已修改，请重新阅读后签字。")
        try:
            with transaction.atomic():
                signature = MinutesSignature.objects.create(meeting=meeting, member=member, role=member.role,
                                                            content_hash=content_hash)
        except IntegrityError:
            raise MeetingRuleBroken("您已签署当前版本的会议纪要。") from None
        if minutes_signed(meeting):
            job_enqueue("experts.tasks.generate_minutes", meeting.pk)
    logger.info("meeting %s: minutes signed by member %s", meeting.pk, member.pk)
    return signature


def minutes_signed(meeting: Meeting) -> bool:
    """Both the chair and the secretary signed the current text."""
    roles = set(meeting.signatures.filter(content_hash=meeting.minutes_hash).values_list("role", flat=True))
    return {CommitteeMember.Role.CHAIR, CommitteeMember.Role.SECRETARY} <= roles


def minutes_pdf_render(*, meeting_id: int) -> Meeting:
    """The signed minutes as a PDF with the signatures and the hash (idempotent)."""
    from core.pdf import render_pdf

    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        if meeting.minutes_pdf or not minutes_signed(meeting):
            return meeting
        signatures = meeting.signatures.filter(content_hash=meeting.minutes_hash).select_related("member")
        pdf = render_pdf("experts/minutes_pdf.html", {"meeting": meeting, "signatures": signatures})
        meeting.minutes_pdf.save(f"minutes-{meeting.pk}.pdf", ContentFile(pdf), save=False)
        meeting.save(update_fields=["minutes_pdf"])
    return meeting


# --- cancelling and the written decision --------------------------------------------------------

def meeting_cancel(*, meeting_id: int, reason: str, by) -> Meeting:
    """Call the meeting off before the count (ballots cast are not counted; the cases wait for
    another meeting)."""
    if not (reason or "").strip():
        raise MeetingRuleBroken("请填写取消原因。")
    with transaction.atomic():
        meeting = locked_meeting(meeting_id)
        _take(meeting, lambda: meeting.cancel(reason=reason.strip(), by=by, description=reason.strip()[:200]))
        ballots_open(meeting)  # not counted; receipts still show their ballot, and nothing stays sealed
        _tell(meeting, meeting.committee.members.filter(until__isnull=True), "meeting_cancelled", reason=reason)
    logger.info("meeting %s cancelled by %s", meeting.pk, by.pk)
    return meeting


def written_decision_record(*, evaluation_id: int, outcome: str, reason: str, document=None, by) -> WrittenDecision:
    """Record the leading group's written decision on a case the committee met on twice
    (001 §18(五)); it has the effect of a meeting's decision."""
    if not (reason or "").strip():
        raise MeetingRuleBroken("请填写书面决定的理由。")
    with transaction.atomic():
        try:
            evaluation_services.evaluation_committee_decide(
                evaluation_id=evaluation_id, option=outcome, meeting=False, by=by,
                record=f"评价领导小组书面决定：{reason.strip()[:200]}")
        except EvaluationError as exc:
            raise MeetingRuleBroken(str(exc)) from None
        decision = WrittenDecision(evaluation_id=evaluation_id, outcome=outcome, reason=reason.strip(), recorded_by=by)
        if document:
            decision.document.save(document.name, document, save=False)
        decision.save()
        if outcome == SEND_BACK:
            reports.report_send_back(evaluation_id=evaluation_id, reason=decision.reason, by=by)
    logger.info("evaluation %s: written decision %s recorded by %s", evaluation_id, outcome, by.pk)
    return decision
