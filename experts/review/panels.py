"""What the institution sees of its on-site review on its evaluation page (registered with
evaluation.panels): the notice with the dates, the group and the agenda; the challenge of a
member within its window; after the visit, the group's feedback (反馈讲评)."""
from django.template.loader import render_to_string
from django.utils import timezone

from experts.review.forms import ChallengeForm
from experts.review.models import GroupReport, Visit
from experts.review.selectors import draw_history, group_of


def visit_panel(request, evaluation) -> str:
    visit = (Visit.objects.filter(evaluation=evaluation, notified_at__isnull=False)
             .exclude(state=Visit.State.CANCELLED).select_related("report").first())
    if visit is None:
        return ""
    group = group_of(visit)
    today = timezone.localdate()
    open_for_challenge = visit.state == Visit.State.NOTIFIED and today <= visit.challenge_until
    report = getattr(visit, "report", None)
    return render_to_string("experts/_visit_panel.html", {
        "visit": visit, "group": group, "today": today, "history": draw_history(visit),
        "challenge_form": ChallengeForm(group=group) if open_for_challenge else None,
        "feedback": report if report is not None and report.state == GroupReport.State.SIGNED else None,
    }, request=request)
