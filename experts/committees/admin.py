"""The committees' membership in the admin: seat and release members, constitute the committee.
Every button calls experts.committees.services; the members list is a read-only record.

Committee meetings in the admin: 召集会议 (date, place or online, the agenda of cases waiting
for the committee), 记录出席并开始投票, 结束投票并计票, 修改会议纪要, 取消会议; the record of
each item (recusals, tally, decision), the minutes with their signatures and revisions; and
the leading group's written decision for a case met on twice. Every button calls
experts.committees.meetings; ballots are never shown to anyone, only each item's tally."""
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link
from evaluation.models import Evaluation
from evaluation.programmes.base import SEND_BACK
from evaluation.programmes.capability import STAR_LABELS
from evaluation.selectors import states_allowing
from experts.committees import meetings
from experts.committees import services as committees
from experts.committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Meeting,
    MeetingMove,
    MinutesRevision,
    MinutesSignature,
    WrittenDecision,
)
from experts.committees.selectors import item_options
from experts.exceptions import ExpertsError

PERM = "experts.manage_committee"


class AddMemberForm(forms.Form):
    mobile = forms.CharField(label="委员的登录手机号", max_length=11,
                             help_text="评价委员会委员须为在聘的评价专家（填写其专家账号的手机号）。")
    role = forms.ChoiceField(label="职务", choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER)
    title = forms.CharField(label="职务/单位", max_length=100, required=False)

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        user = get_user_model().objects.filter(mobile=(data.pop("mobile", "") or "").strip()).first()
        if user is None:
            self.add_error("mobile", "没有使用该手机号的账号。")
        data["user"] = user
        return data


class ReleaseMemberForm(forms.Form):
    member_id = forms.TypedChoiceField(label="离任委员", coerce=int)
    reason = forms.CharField(label="离任原因", max_length=200)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_id"].choices = [(m.pk, str(m)) for m in instance_for.members.filter(until__isnull=True)]


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fk_name = "committee"
    fields = ("name", "role", "title", "expert", "since", "until", "leave_reason", "added_by")


@admin.register(Committee)
class CommitteeAdmin(TransitionButtonsMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "state", "size", "term_start", "term_end")
    fields = ("kind", "name", "state", "term_start", "term_end", "constituted_at", "size_rule")
    readonly_fields = ("state", "constituted_at", "size_rule")
    inlines = (MemberInline, HistoryInline)
    refusal_errors = TransitionButtonsMixin.refusal_errors + (ExpertsError,)
    transitions = (
        AdminTransition("add_member", "增加委员", committees.committee_add_member, PERM, lambda c: True,
                        form_class=AddMemberForm),
        AdminTransition("release_member", "委员离任", committees.committee_release_member, PERM,
                        lambda c: c.members.filter(until__isnull=True).exists(), form_class=ReleaseMemberForm),
        AdminTransition("constitute", "组建完成", committees.committee_constitute, PERM,
                        transition_available("constitute")),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            current=Count("members", filter=Q(members__until__isnull=True)))

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "kind") if obj is not None else self.readonly_fields

    @admin.display(description="现任人数")
    def size(self, obj):
        return obj.current

    @admin.display(description="人数要求")
    def size_rule(self, obj):
        if obj is None or not obj.kind:
            return "评价领导小组 9~25 人（第九条）；评价委员会 9~15 人（第十条）"
        fewest, most = obj.size_range
        return f"{fewest}~{most} 人"

    def has_delete_permission(self, request, obj=None):
        return False


PERM = "experts.run_meeting"
WAITING = {"state__in": states_allowing("committee_send_back")}


class ConveneForm(forms.Form):
    committee = forms.ModelChoiceField(label="委员会", queryset=Committee.objects.filter(
        state=Committee.State.CONSTITUTED))
    held_at = forms.DateTimeField(label="会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    online = forms.BooleanField(label="线上会议", required=False, initial=True)
    place = forms.CharField(label="会议地点/线上会议室", max_length=200)
    evaluation_ids = forms.ModelMultipleChoiceField(
        label="议程（待审议的评价）", widget=forms.CheckboxSelectMultiple,
        queryset=Evaluation.objects.filter(**WAITING).select_related("member", "programme").order_by("pk"),
        help_text="评价领导小组审议社会信用评价，评价委员会审议服务能力评价；已审议两次的评价不能再上会。")
    note = forms.CharField(label="会议说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation_ids"].label_from_instance = lambda e: (
            f"{e.member.name} · {e.programme.name}（得分 {e.score if e.score is not None else '—'}，"
            f"已审议 {e.meetings_held} 次）")

    def clean_evaluation_ids(self):
        return [e.pk for e in self.cleaned_data["evaluation_ids"]]


class AttendanceForm(forms.Form):
    present_member_ids = forms.TypedMultipleChoiceField(label="出席委员", coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present_member_ids"].choices = [
            (m.pk, str(m)) for m in instance_for.committee.members.filter(until__isnull=True)]
        self.fields["present_member_ids"].help_text = (
            "勾选实际出席的委员（同一人只计一次）。与议题所涉机构有登记利益冲突的委员已自动回避该议题。")


class MoveForm(forms.Form):
    held_at = forms.DateTimeField(label="调整后的会议时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    reason = forms.CharField(label="调整原因", max_length=300)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_at"].help_text = "委员将收到会议时间调整通知；到调整后的时间才能记录出席并开始投票。"


class MinutesForm(forms.Form):
    text = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 18, "cols": 90}))
    reason = forms.CharField(label="修改原因", max_length=300)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = instance_for.minutes
        self.fields["text"].help_text = "修改后纪要摘要随之改变，已有签字失效，须主任（组长）和秘书重新签字；修改前的版本保留。"


class ItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("position", "evaluation", "suggestion_shown", "recusal_list", "eligible", "tally_shown", "outcome_shown",
              "record")
    verbose_name_plural = "议程与表决结果"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evaluation__member", "evaluation__programme").prefetch_related(
            "recusals__member")

    @admin.display(description="建议结论")
    def suggestion_shown(self, obj):
        return dict(item_options(obj)).get(obj.suggestion, obj.suggestion) or "—"

    @admin.display(description="回避")
    def recusal_list(self, obj):
        return "；".join(f"{r.member.name}（{'本人申报' if r.declared else '利益冲突'}：{r.reason}）"
                        for r in obj.recusals.all()) or "—"

    @admin.display(description="计票")
    def tally_shown(self, obj):
        labels = dict(item_options(obj))
        return "，".join(f"{labels.get(o, o)} {n} 票" for o, n in obj.tally.items()) or "—"

    @admin.display(description="决定")
    def outcome_shown(self, obj):
        if obj.outcome == AgendaItem.NO_QUORUM:
            return "未作决定（不足法定人数或无人投票）"
        return dict(item_options(obj)).get(obj.outcome, "—")


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("member", "present", "recorded_by", "recorded_at")
    verbose_name_plural = "出席记录"


class MoveInline(ReadOnlyInline):
    model = MeetingMove
    fields = ("at", "by", "previous_held_at", "held_at", "reason")
    verbose_name_plural = "会议时间调整记录"


class SignatureInline(ReadOnlyInline):
    model = MinutesSignature
    fields = ("role", "member", "signed_at", "content_hash")
    verbose_name_plural = "纪要签字"


class RevisionInline(ReadOnlyInline):
    model = MinutesRevision
    fields = ("at", "by", "reason", "previous_hash", "previous_text")
    verbose_name_plural = "纪要修改记录"


@admin.register(Meeting)
class MeetingAdmin(TransitionButtonsMixin, RecordAdminMixin, admin.ModelAdmin):
    list_display = ("committee", "held_at", "online", "place", "state", "item_count")
    list_filter = ("state", "committee")
    list_select_related = ("committee",)
    date_hierarchy = "held_at"
    readonly_fields = ("committee", "state", "held_at", "online", "place", "note", "convened_by", "convened_at",
                       "voting_opened_at", "closed_at", "cancel_reason", "recorded_attendees", "rule", "minutes",
                       "minutes_hash", "minutes_state", "minutes_link")
    fields = readonly_fields
    inlines = (ItemInline, AttendanceInline, MoveInline, SignatureInline, RevisionInline, HistoryInline)
    refusal_errors = TransitionButtonsMixin.refusal_errors + (ExpertsError,)
    transitions = (
        AdminTransition("move", "调整会议时间", meetings.meeting_move, PERM,
                        lambda m: m.state == Meeting.State.CONVENED, form_class=MoveForm),
        AdminTransition("open_voting", "记录出席并开始投票", meetings.meeting_open_voting, PERM,
                        transition_available("open_voting"), form_class=AttendanceForm),
        AdminTransition("close", "结束投票并计票", meetings.meeting_close, PERM, transition_available("close")),
        AdminTransition("edit_minutes", "修改会议纪要", meetings.minutes_edit, PERM,
                        lambda m: m.state == Meeting.State.CLOSED, form_class=MinutesForm),
        AdminTransition("cancel", "取消会议", meetings.meeting_cancel, PERM, transition_available("cancel"),
                        reason_label="取消原因", style="danger"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_n=Count("items"))

    @admin.display(description="议题数")
    def item_count(self, obj):
        return obj.items_n

    @admin.display(description="表决规则")
    def rule(self, obj):
        return obj.rule.explanation

    @admin.display(description="纪要签字")
    def minutes_state(self, obj):
        if not obj.minutes:
            return "计票后生成"
        return "主任（组长）和秘书均已签字" if meetings.minutes_signed(obj) else "待主任（组长）和秘书签字"

    @admin.display(description="纪要 PDF")
    def minutes_link(self, obj):
        return admin_file_link(obj, "minutes_pdf", "下载")

    def add_view(self, request, form_url="", extra_context=None):
        """召集会议: the agenda and the meeting's details go through meetings.meeting_convene."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ConveneForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                meeting = meetings.meeting_convene(by=request.user, committee_id=form.cleaned_data.pop("committee").pk,
                                                   **form.cleaned_data)
            except ExpertsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "会议已召集，委员已收到通知。会议开始时请记录出席并开始投票。")
                return HttpResponseRedirect(reverse("admin:experts_meeting_change", args=[meeting.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "召集评审会议", "help": "与议题所涉机构登记有利益冲突的委员将自动回避该议题；委员也可在专家工作台申报回避。"}
        return TemplateResponse(request, "admin/experts/plain_form.html", context, status=422 if form.errors else 200)

    def has_add_permission(self, request):
        return request.user.has_perm("experts.add_meeting") and request.user.has_perm(PERM)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


OUTCOMES = [("approve", "同意评价结果，进入公示（社会信用评价）"), *STAR_LABELS.items(), (SEND_BACK, "退回重新评价")]


class WrittenDecisionForm(forms.Form):
    evaluation_id = forms.ModelChoiceField(
        label="评价", queryset=Evaluation.objects.filter(**WAITING, meetings_held__gte=2).select_related("member"),
        help_text="仅列出已审议两次、仍待决定的评价（001 第十八条第五项）。")
    outcome = forms.ChoiceField(label="书面决定", choices=OUTCOMES,
                                help_text="服务能力评价的星级不得高于信用等级所允许的星级。")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))
    document = forms.FileField(label="书面决定文件（可选）", required=False)

    def clean_evaluation_id(self):
        return self.cleaned_data["evaluation_id"].pk


@admin.register(WrittenDecision)
class WrittenDecisionAdmin(admin.ModelAdmin):
    list_display = ("evaluation", "outcome", "recorded_by", "recorded_at")
    list_select_related = ("evaluation__member", "recorded_by")
    readonly_fields = ("evaluation", "outcome", "reason", "document_link", "recorded_by", "recorded_at")
    fields = readonly_fields

    @admin.display(description="书面决定文件")
    def document_link(self, obj):
        return admin_file_link(obj, "document", "下载")

    def add_view(self, request, form_url="", extra_context=None):
        """记录书面决定: through meetings.written_decision_record (which checks the case and the option)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WrittenDecisionForm(request.POST or None, request.FILES or None,
                                   initial={"evaluation_id": request.GET.get("evaluation")})
        if request.method == "POST" and form.is_valid():
            try:
                decision = meetings.written_decision_record(by=request.user, **form.cleaned_data)
            except ExpertsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "书面决定已记录并生效。")
                return HttpResponseRedirect(reverse("admin:experts_writtendecision_change", args=[decision.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "记录评价领导小组书面决定", "multipart": True}
        return TemplateResponse(request, "admin/experts/plain_form.html", context, status=422 if form.errors else 200)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_queue(Queue("待评审会议审议", PERM, Evaluation, WAITING))
register_queue(Queue("投票中的会议", PERM, Meeting, {"state": Meeting.State.VOTING}))
