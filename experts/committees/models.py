"""The bodies that decide results, as people: the credit programme's evaluation leading group
(评价领导小组, 9-25 members, seed 001 §9) and the capability committee (评价委员会, 9-15
members from the expert pool, seed 004 §8, §10), each with its members, their terms, a chair
and a secretary. Members who leave stay on record with the day and the reason.

Committee meetings (001 §9, §18(五); 004 §8, §20(六)): the office convenes a meeting of a
committee with an agenda of cases ready for decision; attendance is recorded per member; a
member with a conflict is recused from an item (automatically, or on their own declaration);
present, non-recused members vote online per item; the portal counts; the minutes are made
from the record, signed by the chair and the secretary, and locked by their hash.

Ballots are secret, also from whoever reads the database or a backup (the threat model is in
experts/README.md): while the vote is open a ballot is only a SealedBallot, written beside its
voter's roll row (BallotCast) but sealed under a key kept outside the database and padded so
that its size says nothing. At the count the sealed ballots are opened and written into the
box (Ballot) in one transaction, in an order set by the choices and the receipt hashes alone,
and the sealed copies are removed: no column, transaction id, physical order, id or time then
ties a counted ballot to a voter. A voter keeps a receipt code whose hash sits on their ballot."""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath
from experts.pool.models import Expert


class Committee(ConcurrentTransitionMixin, models.Model):
    class Kind(models.TextChoices):
        LEADING_GROUP = "leading_group", "评价领导小组（社会信用评价）"
        CAPABILITY = "capability", "评价委员会（服务能力评价）"

    class State(models.TextChoices):
        FORMING = "forming", "组建中"
        CONSTITUTED = "constituted", "已组建"

    # (fewest, most) members: 001 §9 and 004 §10.
    SIZES = {Kind.LEADING_GROUP: (9, 25), Kind.CAPABILITY: (9, 15)}
    # The programme whose cases each body decides (001 §9: the leading group; 004 §8: the committee).
    PROGRAMMES = {Kind.LEADING_GROUP: "credit", Kind.CAPABILITY: "capability"}

    kind = models.CharField("类别", max_length=15, choices=Kind.choices, unique=True)
    name = models.CharField("名称", max_length=50)
    state = FSMField("状态", max_length=12, choices=State.choices, default=State.FORMING, protected=True)
    term_start = models.DateField("本届任期起")
    term_end = models.DateField("本届任期止")
    constituted_at = models.DateTimeField("组建时间", null=True, blank=True)

    class Meta:
        verbose_name = "评价委员会/领导小组"
        verbose_name_plural = "评价委员会与领导小组"
        permissions = [("manage_committee", "可管理委员会组成")]
        constraints = [models.CheckConstraint(condition=models.Q(term_end__gt=models.F("term_start")),
                                              name="experts_committee_term_in_order")]

    def __str__(self):
        return self.name

    @property
    def size_range(self) -> tuple[int, int]:
        return self.SIZES[self.kind]

    @property
    def programme_kind(self) -> str:
        return self.PROGRAMMES[self.kind]

    @property
    def needs_experts(self) -> bool:
        """The capability committee's members come from the expert pool (004 §10)."""
        return self.kind == self.Kind.CAPABILITY

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.FORMING, target=State.CONSTITUTED)
    def constitute(self, *, at, by=None, description=None):
        """Enough members, a chair and a secretary: the committee may meet."""
        self.constituted_at = at


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "主任/组长"
        SECRETARY = "secretary", "秘书"
        MEMBER = "member", "委员"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="members", verbose_name="委员会")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_seats",
                             verbose_name="登录账号")
    expert = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.PROTECT, related_name="committee_seats",
                               verbose_name="专家库专家")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务/单位", max_length=100, blank=True)
    role = models.CharField("职务", max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField("任职起")
    until = models.DateField("任职止", null=True, blank=True)
    leave_reason = models.CharField("离任原因", max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="登记人")

    class Meta:
        verbose_name = "委员"
        verbose_name_plural = "委员"
        ordering = ["committee", "role", "since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], condition=models.Q(until__isnull=True),
                                    name="experts_one_current_seat_per_person"),
            models.UniqueConstraint(fields=["committee", "role"],
                                    condition=models.Q(until__isnull=True) & ~models.Q(role="member"),
                                    name="experts_one_current_chair_and_secretary"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def is_current(self) -> bool:
        return self.until is None


class Meeting(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        CONVENED = "convened", "已通知"
        VOTING = "voting", "投票中"
        CLOSED = "closed", "已计票"
        CANCELLED = "cancelled", "已取消"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings",
                                  verbose_name="委员会")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.CONVENED, protected=True)
    held_at = models.DateTimeField("会议时间")
    online = models.BooleanField("线上会议", default=True)
    place = models.CharField("会议地点/线上会议室", max_length=200)
    note = models.TextField("会议说明", blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="召集人")
    convened_at = models.DateTimeField("通知时间", auto_now_add=True)
    voting_opened_at = models.DateTimeField("开始投票", null=True, blank=True)
    closed_at = models.DateTimeField("计票时间", null=True, blank=True)
    cancel_reason = models.TextField("取消原因", blank=True)
    # Before the portal held meetings, the leading group's meetings were typed in: the names as typed.
    recorded_attendees = models.TextField("出席委员（系统上线前的文字记录）", blank=True, editable=False)
    minutes = models.TextField("会议纪要", blank=True)
    minutes_hash = models.CharField("纪要摘要（SHA-256）", max_length=64, blank=True, editable=False)
    minutes_pdf = models.FileField("会议纪要 PDF", upload_to=RandomUploadPath("experts/minutes"), blank=True)

    class Meta:
        verbose_name = "评审会议"
        verbose_name_plural = "评审会议"
        ordering = ["-held_at", "-id"]
        permissions = [("run_meeting", "可召集和主持评审会议")]

    def __str__(self):
        return f"{self.committee.name} {timezone.localtime(self.held_at):%Y-%m-%d %H:%M} 会议"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.CONVENED, self.State.VOTING)

    @property
    def rule(self):
        """The committee rule of the programme this body decides (quorum, majority, meetings)."""
        from evaluation.programmes import rules_for

        return rules_for(self.committee.programme_kind).committee

    def can_view_file(self, user, field_name) -> bool:
        return user.has_perm("experts.view_meeting") or (user.is_authenticated and self.committee.members.filter(
            user=user, until__isnull=True).exists())

    def download_name(self, field_name) -> str:
        return f"会议纪要-{self.held_at:%Y%m%d}.pdf"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.CONVENED, target=State.VOTING)
    def open_voting(self, *, at, by=None, description=None):
        """Attendance is recorded: present, non-recused members may vote."""
        self.voting_opened_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.VOTING, target=State.CLOSED)
    def close(self, *, at, minutes: str, minutes_hash: str, by=None, description=None):
        """Voting ends: the portal counts each item and the minutes are drawn from the record."""
        self.closed_at, self.minutes, self.minutes_hash = at, minutes, minutes_hash

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.CONVENED, State.VOTING], target=State.CANCELLED)
    def cancel(self, *, reason: str, by=None, description=None):
        self.cancel_reason = reason


class MeetingMove(models.Model):
    """The meeting's time was changed before it opened: from when to when, who, when and why
    (the members are told)."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="moves")
    previous_held_at = models.DateTimeField("原会议时间")
    held_at = models.DateTimeField("调整后时间")
    reason = models.CharField("调整原因", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="调整人")
    at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议时间调整"
        verbose_name_plural = "会议时间调整"
        ordering = ["at"]

    def __str__(self):
        return f"{self.meeting} 时间调整"


class AgendaItem(models.Model):
    """One case on a meeting's agenda and, after the count, its tally and decision."""

    NO_QUORUM = "no_quorum"  # the item could not be decided at this meeting (not counted as a meeting on it)

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items", verbose_name="会议")
    evaluation = models.ForeignKey("evaluation.Evaluation", on_delete=models.PROTECT, related_name="agenda_items",
                                   verbose_name="审议事项")
    position = models.PositiveSmallIntegerField("序号")
    suggestion = models.CharField("建议结论", max_length=20, blank=True)
    outcome = models.CharField("决定", max_length=20, blank=True)
    tally = models.JSONField("计票", default=dict, blank=True)
    eligible = models.PositiveSmallIntegerField("有表决权人数", null=True, blank=True)
    record = models.TextField("决定说明", blank=True)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "evaluation"], name="experts_agenda_once")]

    def __str__(self):
        return f"议题 {self.position}：{self.evaluation.member.name}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="attendance",
                               verbose_name="委员")
    present = models.BooleanField("出席")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="experts_attendance_once")]

    def __str__(self):
        return f"{self.member.name}：{'出席' if self.present else '缺席'}"


class Recusal(models.Model):
    """A member who may not decide on an item: a recorded conflict with the institution
    (automatic) or their own declaration. They count for neither quorum nor ballot."""

    item = models.ForeignKey(AgendaItem, verbose_name="议题", on_delete=models.PROTECT, related_name="recusals")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="recusals",
                               verbose_name="委员")
    reason = models.CharField("回避原因", max_length=300)
    declared = models.BooleanField("本人申报", default=False)
    at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="experts_recusal_once")]

    def __str__(self):
        return f"{self.member.name} 回避议题 {self.item.position}"


class BallotCast(models.Model):
    """The voter roll: that a member voted on an item (never what)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="voters")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "投票名册"
        verbose_name_plural = "投票名册"
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="experts_one_vote_per_member")]

    def __str__(self):
        return "已投票"


class SealedBallot(models.Model):
    """A ballot while the vote is open: its choice and receipt hash sealed (core.sealing), and a
    keyed hash of the receipt code so that its holder can check it before the count. Opened
    and removed at the count (experts.committees.meetings.ballots_open)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="sealed_ballots")
    sealed = models.TextField()
    receipt_lookup = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "密封选票"
        verbose_name_plural = "密封选票"

    def __str__(self):
        return "密封选票"


class Ballot(models.Model):
    """The ballot box after the count: a choice and the hash of its receipt, no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=20)
    receipt_digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"

    def __str__(self):
        return "选票"


class MinutesSignature(models.Model):
    """The chair's or the secretary's signature on the minutes as they read them (their hash);
    a later edit changes the hash, and a signature on an older hash no longer counts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+", verbose_name="签字人")
    role = models.CharField("职务", max_length=10, choices=CommitteeMember.Role.choices)
    content_hash = models.CharField("所签纪要摘要", max_length=64)
    signed_at = models.DateTimeField("签字时间", auto_now_add=True)

    class Meta:
        verbose_name = "纪要签字"
        verbose_name_plural = "纪要签字"
        constraints = [models.UniqueConstraint(fields=["meeting", "member", "content_hash"],
                                               name="experts_sign_minutes_once")]

    def __str__(self):
        return f"{self.get_role_display()} {self.member.name}"


class MinutesRevision(models.Model):
    """An edit of the minutes after the count: the text and hash before, who, when and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="revisions")
    previous_text = models.TextField("修改前纪要")
    previous_hash = models.CharField("修改前摘要", max_length=64)
    previous_pdf = models.CharField("修改前 PDF", max_length=200, blank=True)
    reason = models.CharField("修改原因", max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人")
    at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "纪要修改记录"
        verbose_name_plural = "纪要修改记录"
        ordering = ["at"]

    def __str__(self):
        return f"{self.meeting} 纪要修改 {self.at:%Y-%m-%d %H:%M}"


class WrittenDecision(models.Model):
    """A case the committee met on twice that still needs a decision (001 §18(五)): the
    leading group decides in writing, recorded by the office with its reason."""

    evaluation = models.ForeignKey("evaluation.Evaluation", on_delete=models.PROTECT,
                                   related_name="written_decisions", verbose_name="评价")
    outcome = models.CharField("决定", max_length=20)
    reason = models.TextField("理由")
    document = models.FileField("书面决定文件", upload_to=RandomUploadPath("experts/written-decisions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "领导小组书面决定"
        verbose_name_plural = "领导小组书面决定"

    def __str__(self):
        return f"{self.evaluation} 书面决定"

    def can_view_file(self, user, field_name) -> bool:
        return user.has_perm("experts.view_writtendecision")

    def download_name(self, field_name) -> str:
        return f"书面决定-{self.evaluation_id}.pdf"
