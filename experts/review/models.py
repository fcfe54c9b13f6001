"""The on-site review of a star evaluation (004 §10, §20): the visit with its dates and the
specialties its group must cover, the auditable draw of the group from the frozen pool, each
drawn expert's invitation (and the ranked reserves), the institution's challenges, and the
group report every member signs."""
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath
from evaluation.readers import may_read
from experts.pool.models import Expert, Specialty

MIN_GROUP, MAX_GROUP = 5, 11  # 004 §10: 每组5~11人
MAX_VISIT_DAYS = 3  # 004 §20(四): 现场评价时间一般不超过3天
DEFAULT_AGENDA = ("第一天上午：见面会，听取被评价单位负责人汇报\n"
                  "第一天下午至第二天：查阅资料、实地检查、跟班作业、医患访谈、现场考核\n"
                  "最后半天：专家组汇总评分、通过评价报告并逐一签字确认，向被评价单位反馈讲评")


class Visit(ConcurrentTransitionMixin, models.Model):
    """One on-site review: set up by the office (group size, dates, specialties to cover);
    the pool frozen with its digest and the seed's commitment; the draw; invitations until
    the whole group has confirmed; the notice to the institution; scoring and the report."""

    class State(models.TextChoices):
        PLANNED = "planned", "待冻结候选池"
        FROZEN = "frozen", "候选池已冻结"
        INVITING = "inviting", "邀请专家中"
        READY = "ready", "专家已确认"
        NOTIFIED = "notified", "已通知受评单位"
        REPORTED = "reported", "评价报告已签署"
        CANCELLED = "cancelled", "已取消"

    evaluation = models.ForeignKey("evaluation.Evaluation", on_delete=models.PROTECT, related_name="visits",
                                   verbose_name="评价")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.PLANNED, protected=True)
    group_size = models.PositiveSmallIntegerField(
        "专家组人数", validators=[MinValueValidator(MIN_GROUP), MaxValueValidator(MAX_GROUP)],
        help_text=f"{MIN_GROUP}~{MAX_GROUP} 人（管理办法第十条）。")
    first_day = models.DateField("现场评价首日")
    last_day = models.DateField("现场评价末日", help_text=f"现场评价一般不超过 {MAX_VISIT_DAYS} 天（第二十条第四项）。")
    specialties = models.JSONField("须覆盖的专业", default=list, blank=True)
    agenda = models.TextField("现场评价日程", default=DEFAULT_AGENDA)
    staff_names = models.CharField("随行工作人员", max_length=100, blank=True, help_text="1~2 名，用顿号分隔。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The draw's record (see experts/review/draw.py for the algorithm).
    pool_snapshot = models.JSONField("冻结的候选池", null=True, blank=True, editable=False)
    pool_digest = models.CharField("候选池摘要（SHA-256）", max_length=64, blank=True, editable=False)
    seed_commitment = models.CharField("随机种子承诺（SHA-256）", max_length=64, blank=True, editable=False)
    # The seed until the draw, sealed under a key kept outside the database (core.sealing).
    sealed_seed = models.TextField(blank=True, editable=False)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="冻结人")
    seed = models.CharField("随机种子（抽取后公开）", max_length=64, blank=True, editable=False)
    # A second person's contribution, entered at the draw: the draw uses SHA-256(seed:value), so
    # nobody who could open the sealed seed beforehand (the office alone) can know the group.
    witness_name = models.CharField("监督人", max_length=50, blank=True, editable=False)
    witness_value = models.CharField("监督人现场给出的随机数", max_length=32, blank=True, editable=False)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="抽取人")
    result = models.JSONField("抽取结果", null=True, blank=True, editable=False)
    notice = models.FileField("现场评价通知", upload_to=RandomUploadPath("experts/visit-notices"), blank=True)
    notice_of = models.DateTimeField("最近一次通知时间", null=True, blank=True, editable=False)
    notice_pdf_of = models.DateTimeField(null=True, blank=True, editable=False)  # the notice the PDF shows
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    challenge_until = models.DateField("申请回避截止日", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒专家时间", null=True, blank=True)
    cancel_reason = models.TextField("取消原因", blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="取消人")
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "现场评价"
        verbose_name_plural = "现场评价与专家抽取"
        ordering = ["-first_day", "-id"]
        indexes = [models.Index(fields=["first_day", "last_day"])]
        permissions = [("draw_visit", "可抽取现场评价专家"), ("decide_challenge", "可决定回避申请")]
        constraints = [
            models.UniqueConstraint(fields=["evaluation"], condition=~models.Q(state="cancelled"),
                                    name="experts_one_open_visit_per_evaluation"),
            models.CheckConstraint(condition=models.Q(group_size__gte=MIN_GROUP, group_size__lte=MAX_GROUP),
                                   name="experts_visit_group_size_5_to_11"),
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")),
                                   name="experts_visit_days_in_order"),
        ]

    def __str__(self):
        return f"{self.evaluation.member.name} · 现场评价 {self.first_day:%Y-%m-%d}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def specialty_labels(self) -> list[str]:
        return [Specialty(s).label for s in self.specialties if s in Specialty.values]

    # --- transitions: check and move state only --------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.PLANNED, target=State.FROZEN)
    def freeze(self, *, snapshot: dict, digest: str, commitment: str, sealed_seed: str, at, by=None,
               description=None):
        """The candidate pool and its exclusions are frozen, digested, and a fresh seed is
        committed to (its hash stored) before anything is drawn."""
        self.pool_snapshot, self.pool_digest = snapshot, digest
        self.seed_commitment, self.sealed_seed = commitment, sealed_seed
        self.frozen_at, self.frozen_by = at, by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.FROZEN, target=State.INVITING)
    def draw(self, *, result: dict, seed: str, witness_name: str, witness_value: str, at, by=None, description=None):
        """The group and the ranked reserves are drawn from the frozen pool with the committed
        seed and the witness's value; the seed is revealed on the record and unsealed no more."""
        self.result, self.seed, self.sealed_seed = result, seed, ""
        self.witness_name, self.witness_value = witness_name, witness_value
        self.drawn_at, self.drawn_by = at, by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.INVITING, target=State.READY)
    def group_confirmed(self, *, by=None, description=None):
        """Every seat has an expert who confirmed."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.READY, State.NOTIFIED], target=State.INVITING)
    def seat_reopened(self, *, by=None, description=None):
        """A confirmed member left (an upheld challenge, an override): a reserve is invited."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.READY, target=State.NOTIFIED)
    def notify(self, *, at, challenge_until: dt.date, by=None, description=None):
        """The notice (dates, group, agenda) went to the institution (004 §20(一))."""
        if self.notified_at is None:
            self.notified_at, self.challenge_until = at, challenge_until

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.NOTIFIED, target=State.REPORTED)
    def report_signed(self, *, by=None, description=None):
        """Every member signed the group report: the visit is done."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.REPORTED, target=State.NOTIFIED)
    def sent_back(self, *, by=None, description=None):
        """The committee sent the case back: the group revises and signs its report again."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.PLANNED, State.FROZEN, State.INVITING, State.READY], target=State.CANCELLED)
    def cancel(self, *, reason: str, at, by=None, description=None):
        """Called off before the notice (new dates need a new draw); the record stays and is
        shown on every later draw for the same evaluation."""
        self.cancel_reason, self.cancelled_at, self.cancelled_by = reason, at, by

    @property
    def drawn(self) -> bool:
        return bool(self.seed)

    @property
    def under_way(self) -> bool:
        """Notified (scoring, the report) or done: the group's report page is open."""
        return self.state in (self.State.NOTIFIED, self.State.REPORTED)

    def has_member(self, user) -> bool:
        """Whether ``user`` holds a confirmed seat in this visit's group."""
        return user.is_authenticated and self.invitations.filter(
            expert__user=user, state=Invitation.State.CONFIRMED).exists()

    def can_view_file(self, user, field_name) -> bool:
        if user.has_perm("experts.view_visit"):
            return True
        institution = user.is_authenticated and user.pk == self.evaluation.member.user_id
        return (institution and self.notified_at is not None) or self.has_member(user)

    def download_name(self, field_name) -> str:
        return f"现场评价通知-{self.evaluation.member.name}.pdf"


class Invitation(ConcurrentTransitionMixin, models.Model):
    """A drawn expert's place: a seat in the group (invited, then confirmed or declined) or a
    reserve waiting in its rank. A reserve is invited only when a seat opens, in rank order."""

    class State(models.TextChoices):
        RESERVE = "reserve", "候补"
        INVITED = "invited", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DECLINED = "declined", "已婉拒"
        LAPSED = "lapsed", "逾期未答复"
        REPLACED = "replaced", "已替换"
        UNUSED = "unused", "未启用"

    class Role(models.TextChoices):
        MEMBER = "member", "组员"
        HEAD = "head", "组长"
        LEADER = "leader", "领队"

    OPEN_STATES = (State.INVITED, State.CONFIRMED)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="invitations", verbose_name="现场评价")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="invitations", verbose_name="专家")
    rank = models.PositiveSmallIntegerField("抽取顺位", help_text="1 起：先组员，后候补。")
    drawn_as = models.CharField("抽取结果", max_length=10, choices=[("group", "组员"), ("reserve", "候补")])
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.RESERVE, protected=True)
    role = models.CharField("职务", max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_at = models.DateTimeField("邀请时间", null=True, blank=True)
    reply_by = models.DateField("答复截止", null=True, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    decline_reason = models.TextField("婉拒原因", blank=True)
    replaced_reason = models.TextField("替换原因", blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="替补对象")

    class Meta:
        verbose_name = "专家邀请"
        verbose_name_plural = "专家邀请"
        ordering = ["visit", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "expert"], name="experts_drawn_once_per_visit"),
            models.UniqueConstraint(fields=["visit", "rank"], name="experts_one_rank_per_visit"),
            models.UniqueConstraint(fields=["visit", "role"], condition=~models.Q(role="member"),
                                    name="experts_one_head_and_leader_per_visit"),
        ]

    def __str__(self):
        return f"{self.expert.name} · {self.get_state_display()}"

    @property
    def is_seated(self) -> bool:
        return self.state in self.OPEN_STATES

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.RESERVE, target=State.INVITED)
    def invite(self, *, at, reply_by: dt.date, replaces=None, by=None, description=None):
        self.invited_at, self.reply_by, self.replaces = at, reply_by, replaces

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.INVITED, target=State.CONFIRMED)
    def confirm(self, *, at, by=None, description=None):
        self.answered_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.INVITED, target=State.DECLINED)
    def decline(self, *, reason: str, at, by=None, description=None):
        self.decline_reason, self.answered_at = reason, at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.INVITED, target=State.LAPSED)
    def lapse(self, *, by=None, description=None):
        """No answer by the reply date: treated as declined; the next reserve is invited."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.INVITED, State.CONFIRMED], target=State.REPLACED)
    def replace(self, *, reason: str, by=None, description=None):
        """Taken out of the group (an upheld challenge, a staff override with a written reason)."""
        self.replaced_reason, self.role = reason, self.Role.MEMBER

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.RESERVE, State.INVITED], target=State.UNUSED)
    def release(self, *, by=None, description=None):
        """The visit was cancelled before this place was needed."""


class Challenge(models.Model):
    """The institution's request that a named expert stand down for a conflict of interest,
    within 3 working days of the visit notice; the office decides with a reason."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待决定"
        UPHELD = "upheld", "回避（更换专家）"
        DISMISSED = "dismissed", "不予支持"

    CHALLENGE_DAYS = 3

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="challenges",
                                   verbose_name="被申请回避的专家")
    reason = models.TextField("申请回避理由")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    submitted_at = models.DateTimeField("申请时间", auto_now_add=True)
    decision = models.CharField("决定", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="决定人")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "回避申请"
        verbose_name_plural = "回避申请"
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["invitation"], condition=models.Q(decision="pending"),
                                               name="experts_one_pending_challenge_per_expert")]

    def __str__(self):
        return f"申请 {self.invitation.expert.name} 回避 · {self.get_decision_display()}"


class GroupReport(ConcurrentTransitionMixin, models.Model):
    """The group's report (004 §20(五)): written by the group head from the members' scores,
    then frozen and signed by every member; a signed report goes to the committee."""

    class State(models.TextChoices):
        DRAFT = "draft", "组长编写中"
        SIGNING = "signing", "待专家签字"
        SIGNED = "signed", "全体签字"

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="report", verbose_name="现场评价")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.DRAFT, protected=True)
    overview = models.TextField("一、评价概况及总体评价", blank=True)
    highlights = models.TextField("二、诚信、服务、建设、管理中的亮点", blank=True)
    problems = models.TextField("三、主要问题及改进意见、建议", blank=True)
    item_scores = models.JSONField("四、各条目得分", default=list, blank=True, editable=False)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    percent = models.DecimalField("得分（百分制）", max_digits=6, decimal_places=2, null=True, blank=True,
                                  editable=False)
    content_hash = models.CharField("报告内容摘要（SHA-256）", max_length=64, blank=True, editable=False)
    circulated_at = models.DateTimeField("提交签字时间", null=True, blank=True)
    signed_at = models.DateTimeField("全体签字时间", null=True, blank=True)
    pdf = models.FileField("评价报告（PDF）", upload_to=RandomUploadPath("experts/group-reports"), blank=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    history = models.JSONField("此前签署的版本", default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "专家组评价报告"
        verbose_name_plural = "专家组评价报告"

    def __str__(self):
        return f"评价报告 · {self.visit}"

    @property
    def is_open(self) -> bool:
        """The head may still change the text (not yet put to the members)."""
        return self.state == self.State.DRAFT

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.DRAFT, target=State.SIGNING)
    def circulate(self, *, item_scores: list, total, percent, content_hash: str, at, by=None, description=None):
        """The head puts the report to the members: its text and the computed scores are fixed."""
        self.item_scores, self.total, self.percent = item_scores, total, percent
        self.content_hash, self.circulated_at = content_hash, at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SIGNING, target=State.DRAFT)
    def reopen(self, *, by=None, description=None):
        """The head takes the report back to change it; signatures so far are voided (kept)."""
        self.content_hash, self.circulated_at = "", None

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SIGNING, target=State.SIGNED)
    def complete(self, *, at, by=None, description=None):
        """The last member signed."""
        self.signed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SIGNED, target=State.DRAFT)
    def send_back(self, *, by=None, description=None):
        """The committee sent the case back: the head revises the report (the signed version's
        PDF and hash stay in ``history``; the signatures are voided and kept)."""
        self.history = [*self.history, {"content_hash": self.content_hash, "pdf": self.pdf.name or "",
                                        "signed_at": self.signed_at.isoformat() if self.signed_at else ""}]
        self.content_hash, self.circulated_at, self.signed_at, self.pdf = "", None, None, ""

    def can_view_file(self, user, field_name) -> bool:
        """The office, the group, the committee members deciding the case, and the institution
        once the committee has given its result on the report."""
        evaluation = self.visit.evaluation
        institution = user.is_authenticated and user.pk == evaluation.member.user_id and bool(evaluation.grade)
        return (user.has_perm("experts.view_groupreport") or institution or self.visit.has_member(user)
                or may_read(user, evaluation))  # may_read: committee members with the case on their agenda

    def download_name(self, field_name) -> str:
        return f"现场评价报告-{self.visit.evaluation.member.name}.pdf"


class ReportSignature(models.Model):
    """A member's signature on one version of the report (its content hash), with the time and,
    if they wish, a dissent on record. Voided signatures (the head reopened) stay as history."""

    report = models.ForeignKey(GroupReport, on_delete=models.PROTECT, related_name="signatures",
                               verbose_name="评价报告")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="+", verbose_name="专家")
    content_hash = models.CharField("所签内容摘要", max_length=64)
    dissent = models.TextField("保留意见", blank=True)
    signed_at = models.DateTimeField("签字时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "报告签字"
        verbose_name_plural = "报告签字"
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["report", "expert"], condition=models.Q(voided_at__isnull=True),
                                               name="experts_one_live_signature_per_member")]

    def __str__(self):
        return f"{self.expert.name} 签字于 {self.signed_at:%Y-%m-%d %H:%M}"


class SecondApproval(models.Model):
    """A step on a drawn group that one person may not take alone (SECURITY.md 25): cancelling
    a drawn visit (the next draw would give another group) and naming a replacement other than
    the next reserve in rank. One member of the office asks with a reason; another approves or
    refuses with theirs; the step is taken only on approval. Kept with who, when and why."""

    class Kind(models.TextChoices):
        CANCEL = "cancel", "取消已抽取的安排"
        NAMED_REPLACEMENT = "named_replacement", "指定非顺位候补"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="approvals", verbose_name="现场评价")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    invitation = models.ForeignKey("Invitation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="调出的专家")
    replacement = models.ForeignKey("Invitation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="指定的候补")
    reason = models.TextField("申请理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved = models.BooleanField("批准", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "双人审批"
        verbose_name_plural = "双人审批（取消抽取、指定候补）"
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["visit"], condition=models.Q(approved__isnull=True),
                                               name="experts_one_pending_approval_per_visit")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.visit}"

    @property
    def state_label(self) -> str:
        return {None: "待审批", True: "已批准", False: "未批准"}[self.approved]
