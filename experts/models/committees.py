"""The bodies that decide results, as people: the credit programme's evaluation leading group
(评价领导小组, 9-25 members, seed 001 §9) and the capability committee (评价委员会, 9-15
members from the expert pool, seed 004 §8, §10), each with its members, their terms, a chair
and a secretary. Members who leave stay on record with the day and the reason."""
from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin

from .pool import Expert


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
