"""Score → grade by the programme's bands (lower-inclusive; the top band includes 100)."""
from decimal import Decimal

from .models import GradeBand, Programme


def grade_for(*, programme: Programme, score: Decimal) -> str:
    if not Decimal(0) <= score <= Decimal(100):
        raise ValueError(f"score {score} is outside 0-100")
    band = GradeBand.objects.filter(programme=programme, min_score__lte=score).order_by("-min_score").first()
    if band is None:
        raise ValueError(f"{programme} has no grade band for {score}")
    return band.grade
