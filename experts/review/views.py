"""The on-site review in the workbench: an invitation to confirm or decline, the visit page
(dates, agenda, group, scoring progress), the group report the head compiles and every member
signs; and the institution's challenge of a member. Each page shows only what the person's
seat (or the institution's own evaluation) allows; anything else is a 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import member_required
from evaluation.models import Assignment
from experts.exceptions import ExpertsError
from experts.review import reports
from experts.review import services as visits
from experts.review.forms import ChallengeForm, DeclineForm, ReportForm, SignForm
from experts.review.models import GroupReport, Invitation, Visit
from experts.review.selectors import group_of, membership_of, score_spread, sees_group_scores


@login_required
def invitation(request, pk):
    """确认参加 / 婉拒 (with a reason; a conflict is recorded as a declaration)."""
    invitation = (Invitation.objects.filter(pk=pk, expert__user=request.user)
                  .select_related("visit__evaluation__member", "expert").first())
    if invitation is None:
        raise Http404
    form = DeclineForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                visits.invitation_confirm(invitation_id=invitation.pk, by=request.user)
                messages.success(request, "已确认参加。受评单位的材料和评分表已在现场评价页面开放。")
                return redirect("experts:visit", pk=invitation.visit_id)
            if form.is_valid():
                visits.invitation_decline(invitation_id=invitation.pk, by=request.user, **form.cleaned_data)
                messages.success(request, "已婉拒，评价办公室将按候补顺位邀请其他专家。")
                return redirect("experts:workbench")
        except ExpertsError as exc:
            form.add_error(None, str(exc))
    return render(request, "experts/invitation.html", {
        "invitation": invitation, "visit": invitation.visit, "form": form,
    }, status=422 if form.errors else 200)


def _seated_visit(request, pk) -> tuple[Visit, Invitation]:
    visit = Visit.objects.select_related("evaluation__member", "evaluation__programme").filter(pk=pk).first()
    seat = membership_of(visit, request.user) if visit is not None else None
    if seat is None:
        raise Http404
    return visit, seat


@login_required
def visit(request, pk):
    """The visit as the group sees it: the institution, dates, agenda, members and roles,
    who has submitted their scores, and the way to scoring and the report."""
    visit, seat = _seated_visit(request, pk)
    group = group_of(visit)
    assignments = {a.evaluator_id: a for a in Assignment.objects.filter(
        evaluation=visit.evaluation_id, evaluator__in=[m.expert.user_id for m in group])}
    for member in group:
        member.assignment = assignments.get(member.expert.user_id)
    return render(request, "experts/visit.html", {
        "visit": visit, "seat": seat, "group": group, "mine": assignments.get(request.user.pk),
        "report": GroupReport.objects.filter(visit=visit).first(),
    })


@login_required
def report(request, pk):
    """组长编写评价报告 (save, 提交全组签字, 撤回修改) and every member's 签字确认. The spread of
    scores is shown to the head, and to a member once they have submitted their own."""
    visit, seat = _seated_visit(request, pk)
    is_head = seat.role == Invitation.Role.HEAD
    report = GroupReport.objects.filter(visit=visit).first()
    action = request.POST.get("action") if request.method == "POST" else None
    form = ReportForm(request.POST if action in ("save", "circulate") else None,
                      initial={f: getattr(report, f) for f in reports.SECTIONS} if report else None)
    sign_form = SignForm(request.POST if action == "sign" else None,
                         initial={"content_hash": report.content_hash if report else ""})
    if action:
        try:
            if action in ("save", "circulate") and form.is_valid():
                reports.report_save(visit_id=visit.pk, by=request.user, **form.cleaned_data)
                if action == "circulate":
                    reports.report_circulate(visit_id=visit.pk, by=request.user)
                    messages.success(request, "报告已提交全组签字。")
                else:
                    messages.success(request, "报告已保存。")
                return redirect("experts:report", pk=visit.pk)
            if action == "reopen":
                try:
                    reports.report_reopen(visit_id=visit.pk, reason=request.POST.get("reason", "")[:500],
                                          by=request.user)
                except ExpertsError as exc:
                    messages.error(request, str(exc))  # the form is folded away: say it at the top
                else:
                    messages.success(request, "报告已撤回修改，已有签字作废，修改后需重新签字。")
                return redirect("experts:report", pk=visit.pk)
            if action == "sign" and sign_form.is_valid():
                reports.report_sign(visit_id=visit.pk, by=request.user, **sign_form.cleaned_data)
                messages.success(request, "已签字确认。")
                return redirect("experts:report", pk=visit.pk)
        except ExpertsError as exc:
            (sign_form if action == "sign" else form).add_error(None, str(exc))
    signatures = list(report.signatures.select_related("expert").order_by("signed_at")) if report else []
    live = {s.expert_id: s for s in signatures if s.voided_at is None}
    group = group_of(visit)
    for member in group:
        member.signature = live.get(member.expert_id)
    return render(request, "experts/report.html", {
        "visit": visit, "seat": seat, "is_head": is_head, "report": report, "form": form, "sign_form": sign_form,
        "spread": score_spread(visit) if sees_group_scores(visit, seat) else None, "group": group,
        "voided": [s for s in signatures if s.voided_at is not None],
        "editable": is_head and visit.state == Visit.State.NOTIFIED and (
            report is None or report.is_open),
        "my_signature": live.get(seat.expert_id),
    }, status=422 if form.errors or sign_form.errors else 200)


@require_POST
@member_required
def challenge(request, member, pk):
    """申请回避: the institution asks that a member of the group stand down (within 3 working
    days of the notice). Errors are shown with what was typed."""
    visit = Visit.objects.filter(pk=pk, evaluation__member=member).select_related("evaluation").first()
    if visit is None or visit.notified_at is None:
        raise Http404
    form = ChallengeForm(request.POST, group=group_of(visit))
    if form.is_valid():
        try:
            visits.challenge_submit(by=request.user, **form.cleaned_data)
        except ExpertsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "回避申请已提交，评价办公室将尽快决定并通知您。")
            return redirect(visit.evaluation.get_absolute_url())
    return render(request, "experts/challenge.html", {"visit": visit, "form": form}, status=422)
