from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Assignment, Evaluation


def is_assigned_evaluator(*, user, evaluation: Evaluation) -> bool:
    return user.is_authenticated and Assignment.objects.filter(evaluation=evaluation, evaluator=user).exists()


def evaluations_of(*, member) -> QuerySet[Evaluation]:
    return member.evaluations.select_related("programme").prefetch_related("deadlines")


def evaluation_for_member(*, member, pk: int) -> Evaluation | None:
    return (member.evaluations.select_related("programme", "member__user")
            .prefetch_related("deadlines", "documents__document", "programme__documents").filter(pk=pk).first())


def assignments_of(*, user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(evaluator=user)
            .select_related("evaluation__member", "evaluation__programme")
            .prefetch_related("evaluation__deadlines"))


def under_notice() -> QuerySet[Evaluation]:
    return (Evaluation.objects.filter(state=Evaluation.State.PUBLIC_NOTICE)
            .select_related("member", "programme").prefetch_related("deadlines"))


def registry(*, query: str = "") -> QuerySet[Evaluation]:
    """Published results, and expired or revoked ones marked as no longer valid."""
    results = (Evaluation.objects.filter(state__in=[Evaluation.State.PUBLISHED, Evaluation.State.EXPIRED,
                                                    Evaluation.State.REVOKED], certificate_no__isnull=False)
               .select_related("member", "programme").order_by("-published_at"))
    if query:
        results = results.filter(Q(member__name__icontains=query) | Q(certificate_no=query.upper()))
    return results


def current_due(evaluation: Evaluation):
    """The clock that binds someone now (the earliest open one), for display."""
    today = timezone.localdate()
    open_clocks = [d for d in evaluation.deadlines.all() if d.met_at is None and d.acted_at is None]
    return min(open_clocks, key=lambda d: d.due_on, default=None), today
