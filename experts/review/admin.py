"""The office's pages for on-site reviews: planning a visit, freezing the pool, the draw and its
replay, the group's invitations and replacements, challenges, the notice, scoring progress and
the signed report; a calendar of visits. Every button calls a service in experts.review.services."""
import calendar
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link
from evaluation.models import Assignment, Evaluation
from evaluation.selectors import states_allowing
from experts.exceptions import ExpertsError
from experts.pool.models import Expert, Specialty
from experts.review import approvals
from experts.review import services as visits
from experts.review.models import (
    DEFAULT_AGENDA,
    MAX_GROUP,
    MIN_GROUP,
    Challenge,
    GroupReport,
    Invitation,
    ReportSignature,
    SecondApproval,
    Visit,
)
from experts.review.selectors import draw_history

DRAW_PERM = "experts.draw_visit"
CHALLENGE_PERM = "experts.decide_challenge"
Seat = Invitation.State
OPEN_VISIT_STATES = [s for s in Visit.State.values if s != Visit.State.CANCELLED]


class VisitPlanForm(forms.Form):
    evaluation = forms.ModelChoiceField(label="评价", queryset=Evaluation.objects.none())
    group_size = forms.IntegerField(label="专家组人数", min_value=MIN_GROUP, max_value=MAX_GROUP, initial=7,
                                    help_text=f"{MIN_GROUP}~{MAX_GROUP} 人（管理办法第十条）。")
    first_day = forms.DateField(label="现场评价首日", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label="现场评价末日", widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="一般不超过 3 天（第二十条第四项）。")
    specialties = forms.MultipleChoiceField(label="须覆盖的专业", choices=Specialty.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    agenda = forms.CharField(label="现场评价日程", widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
                             initial=DEFAULT_AGENDA)
    staff_names = forms.CharField(label="随行工作人员", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = (Evaluation.objects.filter(state__in=states_allowing("start_visit"))
                   .exclude(visits__state__in=OPEN_VISIT_STATES))
        self.fields["evaluation"].queryset = waiting.select_related("member", "programme")
        earliest = visits.earliest_first_day(timezone.localdate())
        self.fields["first_day"].help_text = f"今天安排，首日最早为 {earliest:%Y年%m月%d日}（专家答复时间 + 提前 7 个工作日通知）。"
        if visits.earliest_first_day_provisional(timezone.localdate()):
            self.fields["first_day"].help_text += "该日期涉及尚未确认的年度工作日历，暂按周一至周五计算。"


class RolesForm(forms.Form):
    head_id = forms.TypedChoiceField(label="组长", coerce=int)
    leader_id = forms.TypedChoiceField(label="领队", coerce=int)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        seated = [(i.pk, f"{i.expert.name}（{i.expert.get_specialty_display()}）")
                  for i in instance_for.invitations.filter(state__in=Invitation.OPEN_STATES).select_related("expert")]
        self.fields["head_id"].choices = self.fields["leader_id"].choices = seated


class DrawForm(forms.Form):
    witness_name = forms.CharField(label="监督人姓名", max_length=50,
                                   help_text="到场监督抽取的另一人（如评价领导小组成员），不能是抽取人本人。")
    witness_value = forms.CharField(label="监督人现场给出的随机数", max_length=32,
                                    help_text="由监督人当场自行决定并口述的 4~32 位字母或数字，与冻结时承诺的种子共同决定抽取结果，"
                                              "事先任何人（包括评价办公室）都无法预知。")

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)


class OverrideForm(forms.Form):
    invitation_id = forms.TypedChoiceField(label="调出的专家", coerce=int,
                                           help_text="由候补按顺位递补（调出者是唯一须覆盖专业的成员时，按该专业的顺位）。"
                                                     "如须指定其他候补，请“申请指定候补”，经另一位工作人员批准。")
    reason = forms.CharField(label="书面理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        rows = instance_for.invitations.select_related("expert")
        self.fields["invitation_id"].choices = [(i.pk, f"{i.expert.name}（{i.get_state_display()}）")
                                                for i in rows if i.is_seated]


class NamedReplacementForm(OverrideForm):
    replacement_id = forms.TypedChoiceField(label="指定的候补", coerce=int)

    field_order = ["invitation_id", "replacement_id", "reason"]

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, instance_for=instance_for, **kwargs)
        self.fields["invitation_id"].help_text = "提交后须由另一位工作人员批准才生效；复核抽取时显示为人工指定。"
        self.fields["replacement_id"].choices = [
            (i.pk, f"候补第 {i.rank} 顺位：{i.expert.name}（{i.expert.get_specialty_display()}）")
            for i in instance_for.invitations.select_related("expert") if i.state == Seat.RESERVE]


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fk_name = "visit"
    classes = ("collapse-none",)
    fields = ("rank", "expert", "drawn_as", "state", "role", "reply_by", "answered_at", "decline_reason",
              "replaced_reason", "replaces", "scoring")
    verbose_name_plural = "抽取结果、邀请与替补（按顺位）"

    def get_queryset(self, request):
        scoring = Assignment.objects.filter(evaluation=OuterRef("visit__evaluation"), evaluator=OuterRef("expert__user"))
        return (super().get_queryset(request).select_related("expert", "replaces__expert")
                .annotate(scoring_state=Subquery(scoring.values("state")[:1])))

    @admin.display(description="评分")
    def scoring(self, obj):
        if obj.state != Seat.CONFIRMED or obj.scoring_state is None:
            return "—"
        return Assignment.State(obj.scoring_state).label


class VisitHistoryInline(HistoryInline):
    pass


class ApprovalInline(ReadOnlyInline):
    model = SecondApproval
    fields = ("kind", "invitation", "replacement", "reason", "requested_by", "requested_at", "state_label",
              "decided_by", "decided_at", "decision_note")
    readonly_fields = fields
    verbose_name_plural = "双人审批（取消已抽取的安排、指定非顺位候补）"

    @admin.display(description="状态")
    def state_label(self, obj):
        return obj.state_label


def _adjustable(visit: Visit) -> bool:
    return visit.state in (Visit.State.INVITING, Visit.State.READY, Visit.State.NOTIFIED)


def _pending(visit: Visit) -> bool:
    return visit.approvals.filter(approved__isnull=True).exists()


@admin.register(Visit)
class VisitAdmin(TransitionButtonsMixin, RecordAdminMixin, admin.ModelAdmin):
    """现场评价与专家抽取: each visit's plan, its frozen pool, the draw and its replay, the group."""

    list_display = ("institution", "first_day", "last_day", "state", "group_size", "confirmed", "scored",
                    "report_state")
    list_filter = ("state",)
    change_list_template = "admin/experts/visit_change_list.html"
    date_hierarchy = "first_day"
    search_fields = ("evaluation__member__name",)
    list_select_related = ("evaluation__member", "report")
    readonly_fields = ("evaluation", "state", "group_size", "first_day", "last_day", "specialty_list", "agenda",
                       "staff_names", "created_by", "created_at", "draw_record", "earlier_list", "pool_table", "notice_link",
                       "notified_at", "challenge_until", "challenge_list", "cancel_reason", "report_summary")
    fieldsets = (
        ("安排", {"fields": ("evaluation", "state", "group_size", "first_day", "last_day", "specialty_list", "agenda",
                           "staff_names", "created_by", "created_at", "cancel_reason")}),
        ("抽取记录（可复核）", {"fields": ("draw_record", "earlier_list", "pool_table")}),
        ("通知与回避申请", {"fields": ("notice_link", "notified_at", "challenge_until", "challenge_list")}),
        ("专家组评价报告", {"fields": ("report_summary",)}),
    )
    inlines = (InvitationInline, ApprovalInline, VisitHistoryInline)
    refusal_errors = TransitionButtonsMixin.refusal_errors + (ExpertsError,)
    transitions = (
        AdminTransition("freeze", "冻结候选池并生成种子承诺", visits.visit_freeze, DRAW_PERM,
                        transition_available("freeze")),
        AdminTransition("draw", "抽取专家", visits.visit_draw, DRAW_PERM, transition_available("draw"),
                        form_class=DrawForm),
        AdminTransition("roles", "指定组长和领队", visits.visit_name_roles, DRAW_PERM,
                        lambda v: v.state in (Visit.State.INVITING, Visit.State.READY), form_class=RolesForm),
        AdminTransition("notify", "发送现场评价通知", visits.visit_notify, DRAW_PERM, transition_available("notify"),
                        warning=visits.visit_notice_warning),
        AdminTransition("override", "调整专家（须书面理由）", visits.invitation_override, DRAW_PERM,
                        _adjustable, form_class=OverrideForm, style="danger"),
        AdminTransition("request_replacement", "申请指定候补（须另一人批准）", approvals.approval_request, DRAW_PERM,
                        lambda v: _adjustable(v) and not _pending(v), form_class=NamedReplacementForm,
                        fixed={"kind": SecondApproval.Kind.NAMED_REPLACEMENT}, style="danger"),
        AdminTransition("cancel", "取消本次安排", visits.visit_cancel, DRAW_PERM,
                        lambda v: not v.drawn and transition_available("cancel")(v), reason_label="取消原因",
                        style="danger"),
        AdminTransition("request_cancel", "申请取消本次安排（须另一人批准）", approvals.approval_request, DRAW_PERM,
                        lambda v: v.drawn and transition_available("cancel")(v) and not _pending(v),
                        reason_label="取消原因", fixed={"kind": SecondApproval.Kind.CANCEL}, style="danger"),
        AdminTransition("approve", "批准待审批的申请", approvals.approval_decide, DRAW_PERM, _pending,
                        reason_label="审批意见", reason_arg="note", fixed={"approve": True}),
        AdminTransition("refuse", "不批准", approvals.approval_decide, DRAW_PERM, _pending,
                        reason_label="不批准的理由", reason_arg="note", fixed={"approve": False}, style="danger"),
    )

    def get_queryset(self, request):
        submitted = (Assignment.objects.filter(
            evaluation=OuterRef("evaluation"), state=Assignment.State.SUBMITTED,
            evaluator__expert__invitations__visit=OuterRef("pk"),
            evaluator__expert__invitations__state=Seat.CONFIRMED).order_by()
            .values("evaluation").annotate(n=Count("pk", distinct=True)).values("n"))
        return super().get_queryset(request).annotate(
            n_confirmed=Count("invitations", filter=Q(invitations__state=Seat.CONFIRMED), distinct=True),
            n_scored=Coalesce(Subquery(submitted), 0))

    @admin.display(description="受评单位", ordering="evaluation__member__name")
    def institution(self, obj):
        return obj.evaluation.member.name

    @admin.display(description="已确认")
    def confirmed(self, obj):
        return f"{obj.n_confirmed} / {obj.group_size}"

    @admin.display(description="评分进度")
    def scored(self, obj):
        if obj.state not in (Visit.State.NOTIFIED, Visit.State.REPORTED):
            return "—"
        return f"{obj.n_scored} / {obj.n_confirmed}"

    @admin.display(description="评价报告")
    def report_state(self, obj):
        report = getattr(obj, "report", None)
        return report.get_state_display() if report else "—"

    @admin.display(description="须覆盖的专业")
    def specialty_list(self, obj):
        return "、".join(obj.specialty_labels()) or "无"

    @admin.display(description="抽取记录")
    def draw_record(self, obj):
        if not obj.pool_digest:
            return "尚未冻结候选池。"
        rows = [("候选池摘要 SHA-256", obj.pool_digest),
                ("种子承诺 SHA-256(种子)", obj.seed_commitment),
                ("冻结", f"{timezone.localtime(obj.frozen_at):%Y-%m-%d %H:%M:%S} · {obj.frozen_by.get_full_name()}")]
        if obj.seed:
            rows += [("随机种子（抽取后公开）", obj.seed),
                     ("监督人与其随机数", f"{obj.witness_name} · {obj.witness_value}" if obj.witness_value else "—"),
                     ("抽取", f"{timezone.localtime(obj.drawn_at):%Y-%m-%d %H:%M:%S} · {obj.drawn_by.get_full_name()}")]
        table = format_html_join("", "<tr><th>{}</th><td><code>{}</code></td></tr>", rows)
        replay = (format_html(' <a class="button" href="{}">复核抽取</a>',
                              reverse("admin:experts_visit_replay", args=[obj.pk])) if obj.seed else "")
        return format_html("<table>{}</table>{}", table, replay)

    @admin.display(description="本评价此前的抽取")
    def earlier_list(self, obj):
        return render_to_string("experts/_draw_history.html", {"history": draw_history(obj)})

    @admin.display(description="冻结的候选池与排除名单")
    def pool_table(self, obj):
        if not obj.pool_snapshot:
            return "—"
        pool, excluded = obj.pool_snapshot["pool"], obj.pool_snapshot["excluded"]
        names = dict(Expert.objects.filter(pk__in=[r[0] for r in pool + excluded]).values_list("pk", "name"))
        labels = dict(Specialty.choices)
        eligible = format_html_join("、", "{}（{}）", ((names.get(pk, pk), labels.get(s, s)) for pk, s in pool))
        out = format_html_join("", "<li>{}：{}</li>", ((names.get(pk, pk), reason) for pk, reason in excluded))
        return format_html("<p><strong>候选 {} 人：</strong>{}</p><p><strong>排除 {} 人：</strong></p><ul>{}</ul>",
                           len(pool), eligible, len(excluded), out)

    @admin.display(description="现场评价通知")
    def notice_link(self, obj):
        return admin_file_link(obj, "notice", "下载通知 PDF") if obj.notice else "—"

    @admin.display(description="回避申请")
    def challenge_list(self, obj):
        rows = Challenge.objects.filter(invitation__visit=obj).select_related("invitation__expert")
        return format_html_join("", '<li><a href="{}">{}</a>：{} · {}{}</li>', (
            (reverse("admin:experts_challenge_change", args=[c.pk]), c.invitation.expert.name, c.reason[:80],
             c.get_decision_display(), f"（{c.decision_reason}）" if c.decision_reason else "") for c in rows)) or "无"

    @admin.display(description="评价报告")
    def report_summary(self, obj):
        report = getattr(obj, "report", None)
        if report is None:
            return "组长尚未开始编写。"
        signatures = format_html_join("", "<li>{} · {}{}</li>", (
            (s.expert.name, f"{timezone.localtime(s.signed_at):%Y-%m-%d %H:%M}",
             f" · 保留意见：{s.dissent}" if s.dissent else "") for s in report.signatures.filter(
                voided_at__isnull=True).select_related("expert")))
        pdf = admin_file_link(report, "pdf", "下载报告 PDF") if report.pdf else ""
        return format_html("{} · 总分 {}（百分制 {}） {}<ul>{}</ul>", report.get_state_display(),
                           report.total if report.total is not None else "—",
                           report.percent if report.percent is not None else "—", pdf, signatures)

    # --- planning, replay and the calendar --------------------------------------------------

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(DRAW_PERM)

    def get_urls(self):
        return [
            path("<int:pk>/replay/", self.admin_site.admin_view(self.replay_view), name="experts_visit_replay"),
            path("calendar/", self.admin_site.admin_view(self.calendar_view), name="experts_visit_calendar"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """安排现场评价: the plan goes through visits.visit_create (which checks every rule)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = VisitPlanForm(request.POST or None, initial={"evaluation": request.GET.get("evaluation")})
        if request.method == "POST" and form.is_valid():
            try:
                visit = visits.visit_create(by=request.user, evaluation_id=form.cleaned_data.pop("evaluation").pk,
                                            **form.cleaned_data)
            except ExpertsError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已安排现场评价。下一步：冻结候选池并生成种子承诺。")
                return HttpResponseRedirect(reverse("admin:experts_visit_change", args=[visit.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "安排现场评价"}
        return TemplateResponse(request, "admin/experts/visit_plan.html", context)

    def replay_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        visit = get_object_or_404(Visit, pk=pk)
        try:
            result = visits.draw_replay(visit)
        except ExpertsError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("admin:experts_visit_change", args=[pk]))
        names = dict(Expert.objects.filter(pk__in=result.recomputed["group"] + result.recomputed["reserves"])
                     .values_list("pk", "name"))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "visit": visit,
                   "replay": result, "title": f"复核抽取：{visit}", "history": draw_history(visit),
                   "group": [names.get(pk, pk) for pk in result.recomputed["group"]],
                   "reserves": [names.get(pk, pk) for pk in result.recomputed["reserves"]]}
        return TemplateResponse(request, "admin/experts/visit_replay.html", context)

    def calendar_view(self, request):
        """现场评价日历: a month's visits, day by day (cancelled ones left out)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            month = dt.date(int(request.GET.get("y", today.year)), int(request.GET.get("m", today.month)), 1)
        except (TypeError, ValueError, OverflowError):
            month = today.replace(day=1)
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        month_visits = list(Visit.objects.exclude(state=Visit.State.CANCELLED)
                            .filter(first_day__lte=last, last_day__gte=month).select_related("evaluation__member"))
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
            weeks.append([(day, day.month == month.month,
                           [v for v in month_visits if v.first_day <= day <= v.last_day]) for day in week])
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "weeks": weeks,
                   "month": month, "previous": previous, "following": following, "today": today,
                   "title": f"现场评价日历 · {month:%Y年%m月}"}
        return TemplateResponse(request, "admin/experts/visit_calendar.html", context)


class ChallengeDecisionForm(forms.Form):
    reason = forms.CharField(label="决定理由", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)


@admin.register(Challenge)
class ChallengeAdmin(TransitionButtonsMixin, RecordAdminMixin, admin.ModelAdmin):
    list_display = ("expert", "institution", "submitted_at", "decision", "decided_at")
    list_filter = ("decision",)
    list_select_related = ("invitation__expert", "invitation__visit__evaluation__member")
    readonly_fields = ("invitation", "reason", "submitted_by", "submitted_at", "decision", "decision_reason",
                       "decided_by", "decided_at")
    refusal_errors = TransitionButtonsMixin.refusal_errors + (ExpertsError,)
    transitions = (
        AdminTransition("uphold", "支持回避（按候补顺位更换专家）", visits.challenge_decide, CHALLENGE_PERM,
                        lambda c: c.decision == Challenge.Decision.PENDING, reason_label="决定理由",
                        fixed={"upheld": True}),
        AdminTransition("dismiss", "不予支持", visits.challenge_decide, CHALLENGE_PERM,
                        lambda c: c.decision == Challenge.Decision.PENDING, reason_label="决定理由",
                        fixed={"upheld": False}, style="danger"),
    )

    @admin.display(description="被申请回避的专家")
    def expert(self, obj):
        return obj.invitation.expert.name

    @admin.display(description="受评单位")
    def institution(self, obj):
        return obj.invitation.visit.evaluation.member.name


class SignatureInline(ReadOnlyInline):
    model = ReportSignature
    fields = ("expert", "content_hash", "signed_at", "dissent", "voided_at")


@admin.register(GroupReport)
class GroupReportAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("visit", "state", "total", "percent", "signed_at")
    list_filter = ("state",)
    list_select_related = ("visit__evaluation__member",)
    readonly_fields = ("visit", "state", "overview", "highlights", "problems", "scores_table", "total", "percent",
                       "content_hash", "circulated_at", "signed_at", "pdf_link")
    exclude = ("item_scores", "pdf")
    inlines = (SignatureInline, HistoryInline)

    @admin.display(description="四、各条目得分")
    def scores_table(self, obj):
        return format_html("<table>{}</table>", format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{} / {}</td></tr>",
            ((i["code"], i["text"][:60], i["score"], i["max"]) for i in obj.item_scores)))

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        return admin_file_link(obj, "pdf", "下载") if obj.pdf else "—"


@admin.register(SecondApproval)
class SecondApprovalAdmin(admin.ModelAdmin):
    """双人审批: every request to cancel a drawn visit or seat a reserve out of rank, with both
    names; approving or refusing is done on the visit's page (its buttons)."""

    list_display = ("visit_link", "kind", "reason", "requested_by", "requested_at", "state_label", "decided_by")
    list_filter = ("kind", "approved")
    list_select_related = ("visit__evaluation__member", "requested_by", "decided_by")
    readonly_fields = ("visit", "kind", "invitation", "replacement", "reason", "requested_by", "requested_at",
                       "approved", "decided_by", "decided_at", "decision_note")
    fields = readonly_fields

    @admin.display(description="现场评价")
    def visit_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:experts_visit_change", args=[obj.visit_id]), obj.visit)

    @admin.display(description="状态")
    def state_label(self, obj):
        return obj.state_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Until the notice goes out the evaluation waits on the office: planning, drawing, invitations.
register_queue(Queue("待组织现场评价", DRAW_PERM, Evaluation, {"state__in": states_allowing("start_visit")}))
register_queue(Queue("待发送现场评价通知", DRAW_PERM, Visit, {"state": Visit.State.READY}))
register_queue(Queue("待决定回避申请", CHALLENGE_PERM, Challenge, {"decision": Challenge.Decision.PENDING}))
register_queue(Queue("待第二人审批（取消抽取、指定候补）", DRAW_PERM, SecondApproval, {"approved__isnull": True},
                     urgent=True))
