from django.db.models import Q, QuerySet

from .models import Assignment, Evaluation


def is_assigned_evaluator(*, user, evaluation: Evaluation) -> bool:
    """Assigned and not recused: a conflict found later ends access at once."""
    return user.is_authenticated and Assignment.objects.filter(evaluation=evaluation, evaluator=user).exclude(
        state=Assignment.State.RECUSED).exists()


def evaluations_of(*, member) -> QuerySet[Evaluation]:
    return member.evaluations.select_related("programme").prefetch_related("deadlines")


def evaluation_for_member(*, member, pk: int) -> Evaluation | None:
    return (member.evaluations.select_related("programme", "member__user")
            .prefetch_related("deadlines", "documents__document", "programme__documents").filter(pk=pk).first())


def assignments_of(*, user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(evaluator=user).exclude(state=Assignment.State.RECUSED)
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

