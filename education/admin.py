"""The education admin: the two pages that gather every concern (a project with its sessions,
lecturers, quiz, amendments and dashboard; a registration with its attendance, assessment and
credits) are here; each concern's own records are registered in its ``admin`` module."""
from django.contrib import admin
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from education.assessment import services as assessment
from education.assessment.admin import ResultForm
from education.attendance import services as attendance
from education.attendance.admin import RecordAttendanceForm
from education.attendance.models import Attendance
from education.credits import admin as credits_admin  # noqa: F401  (registers the credits admin)
from education.credits.selectors import project_dashboard
from education.exceptions import EducationError
from education.projects import services as projects
from education.projects.admin import AmendForm, LecturerInline, QuizQuestionInline, SessionInline, project_amendable
from education.projects.models import Amendment, Project
from education.registration import services as registration
from education.registration.models import Registration

OFFICE = "education.change_project"
APPROVE = "education.approve_project"
can = transition_available


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = ("at", "by", "changes", "reason")
    verbose_name_plural = "批准后的变更记录"


@admin.register(Project)
class ProjectAdmin(TransitionButtonsMixin, admin.ModelAdmin):
    """继教项目: filing with sessions, lecturers and quiz; approval; publication; the dashboard."""

    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EducationError)
    list_display = ("number", "title", "level", "credit_class", "credit_value", "starts_on", "ends_on", "state",
                    "registered")
    list_filter = ("state", "level", "credit_class")
    search_fields = ("number", "title", "organiser")
    date_hierarchy = "starts_on"
    fieldsets = (
        ("项目", {"fields": ("number", "title", "level", "credit_class", "credit_value", "organiser", "head",
                           "description")}),
        ("时间与地点", {"fields": ("starts_on", "ends_on", "mode", "place", "capacity")}),
        ("报名费", {"fields": ("fee", "member_fee")}),
        ("学分授予条件", {"fields": ("attendance_threshold", "assessment", "pass_mark")}),
        ("状态", {"fields": ("state", "review_comment", "created_by", "approved_at", "credited_at", "screens",
                           "dashboard")}),
    )
    inlines = (SessionInline, LecturerInline, QuizQuestionInline, AmendmentInline, HistoryInline)
    transitions = (
        AdminTransition("file", "提交备案", projects.project_file, OFFICE, can("file")),
        AdminTransition("return", "退回修改", projects.project_return, APPROVE, can("return_for_correction"),
                        reason_label="退回意见", reason_arg="comment"),
        AdminTransition("approve", "审批通过", projects.project_approve, APPROVE, can("approve")),
        AdminTransition("publish", "发布并开放报名", projects.project_publish, OFFICE, can("publish")),
        AdminTransition("amend", "变更学分或学时", projects.project_amend, OFFICE, project_amendable,
                        form_class=AmendForm),
        AdminTransition("cancel", "取消项目", projects.project_cancel, OFFICE, can("cancel"),
                        reason_label="取消原因", style="danger"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            registered_count=Count("registrations", filter=Q(registrations__state=Registration.State.REGISTERED)))

    def get_readonly_fields(self, request, obj=None):
        fixed = ["state", "review_comment", "created_by", "approved_at", "credited_at", "screens", "dashboard"]
        if obj is not None and obj.is_settled:
            fixed += ["number", "level", "credit_class", "credit_value"]
        if obj is not None and obj.state in (Project.State.CREDITED, Project.State.CANCELLED):
            fixed += [f.name for f in Project._meta.fields if f.name not in fixed and f.name != "id"]
        return fixed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="已报名", ordering="registered_count")
    def registered(self, project):
        return project.registered_count

    @admin.display(description="现场签到")
    def screens(self, project):
        if project.pk is None or project.state != Project.State.OPEN:
            return "发布后可在此打开各课程的签到、签退二维码。"
        links = [format_html('{}：<a href="{}" target="_blank">签到二维码</a> · <a href="{}" target="_blank">签退二维码</a>',
                             session.title, reverse("education:checkin", args=[session.pk, "in"]),
                             reverse("education:checkin", args=[session.pk, "out"]))
                 for session in project.sessions.all()]
        return format_html("<br>".join(["{}"] * len(links)), *links) if links else "—"

    @admin.display(description="项目看板")
    def dashboard(self, project):
        if project.pk is None:
            return "—"
        return render_to_string("admin/education/dashboard.html", project_dashboard(project=project))


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("session", "checked_in_at", "checked_out_at")


@admin.register(Registration)
class RegistrationAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    """报名: the participant's details (the ID number masked), attendance by session, manual
    recording with a reason, assessment results and cancellation."""

    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EducationError)
    list_display = ("name", "id_number_masked", "unit", "project", "fee", "member_price", "state", "created_at")
    list_filter = ("state", "project")
    list_select_related = ("project",)
    search_fields = ("name", "mobile", "project__number", "project__title")
    fields = ("project", "user", "name", "id_number_masked", "unit", "title", "mobile", "email", "invoice_title",
              "invoice_tax_id", "member_price", "fee", "state", "cancel_reason", "created_at", "registered_at")
    readonly_fields = fields
    inlines = (AttendanceInline, HistoryInline)
    transitions = (
        AdminTransition("attendance", "补录签到/签退", attendance.attendance_record, "education.change_registration",
                        lambda r: r.state == Registration.State.REGISTERED and r.project.state == Project.State.OPEN,
                        form_class=RecordAttendanceForm),
        AdminTransition("result", "录入考核成绩", assessment.result_enter, "education.change_registration",
                        lambda r: (r.state == Registration.State.REGISTERED and r.project.state == Project.State.OPEN
                                   and r.project.assessment != Project.Assessment.NONE), form_class=ResultForm),
        AdminTransition("cancel", "取消报名", registration.registration_cancel, "education.change_registration",
                        can("cancel"), reason_label="取消原因", style="danger"),
    )

    @admin.display(description="身份证号码")
    def id_number_masked(self, registration):
        return registration.id_number_masked


register_queue(Queue("待审批继教项目", APPROVE, Project, {"state": Project.State.FILED}))
