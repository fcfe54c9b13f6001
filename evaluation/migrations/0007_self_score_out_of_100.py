"""Self-scores were stored as raw questionnaire points; they are shown and stored out of 100
(points over the questionnaire's maximum), on the evaluators' scale."""
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations
from django.db.models import Max, Sum


def forwards(apps, schema_editor):
    Evaluation = apps.get_model("evaluation", "Evaluation")
    Question = apps.get_model("evaluation", "Question")
    maxima = {}
    for evaluation in Evaluation.objects.filter(self_score__isnull=False):
        if evaluation.programme_id not in maxima:
            best = Question.objects.filter(section__programme_id=evaluation.programme_id).annotate(
                best=Max("options__points"))
            maxima[evaluation.programme_id] = best.aggregate(total=Sum("best"))["total"] or Decimal(0)
        maximum = maxima[evaluation.programme_id]
        if maximum:
            evaluation.self_score = (evaluation.self_score * 100 / maximum).quantize(Decimal("0.01"), ROUND_HALF_UP)
            Evaluation.objects.filter(pk=evaluation.pk).update(self_score=evaluation.self_score)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_keep_history_and_extension_reason")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
