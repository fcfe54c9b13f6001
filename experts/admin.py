from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from evaluation.models import Assignment
from evaluation.selectors import assignable_evaluations

from .exceptions import AssignmentRefused
from .models import Evaluator
from .services import assignment_create, evaluator_recheck_conflicts


@admin.register(Evaluator)
class EvaluatorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "employer_name", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "organisation", "employer_name", "user__mobile")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for assignment in evaluator_recheck_conflicts(evaluator=obj, by=request.user):
            messages.warning(request, f"{obj.name} 与 {assignment.evaluation.member.name} 存在利益冲突，"
                                      "已终止该评价指派（记录为“已回避”），其访问权限即时取消。")


class AssignmentForm(forms.Form):
    evaluation = forms.ModelChoiceField(label="评价", queryset=assignable_evaluations())
    evaluator = forms.ModelChoiceField(label="评价人员", queryset=Evaluator.objects.filter(is_active=True))


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """The office assigns evaluators here; conflicts of interest are refused by the service."""

    list_display = ("evaluation", "evaluator", "state", "total", "assigned_at", "submitted_at")
    list_filter = ("state",)
    list_select_related = ("evaluation__member", "evaluation__programme", "evaluator")
    readonly_fields = ("evaluation", "evaluator", "state", "total", "comment", "assigned_by", "assigned_at",
                       "submitted_at")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AssignmentForm(request.POST or None, initial={"evaluation": request.GET.get("evaluation")})
        if request.method == "POST" and form.is_valid():
            try:
                assignment_create(by=request.user, **form.cleaned_data)
            except AssignmentRefused as exc:
                form.add_error("evaluator", str(exc))
            else:
                messages.success(request, "已指派评价人员。")
                return HttpResponseRedirect(reverse("admin:evaluation_evaluation_change",
                                                    args=[form.cleaned_data["evaluation"].pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "指派评价人员"}
        return TemplateResponse(request, "admin/evaluation/assign.html", context)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
