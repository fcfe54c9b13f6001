"""Step 3: the questionnaire's own sections and questions are gone; criteria are required."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0009_criteria_data")]

    operations = [
        migrations.RemoveConstraint(model_name="answer", name="evaluation_one_answer"),
        migrations.RemoveField(model_name="answer", name="question"),
        migrations.RemoveField(model_name="option", name="question"),
        migrations.DeleteModel(name="QuestionScore"),
        migrations.DeleteModel(name="Question"),
        migrations.DeleteModel(name="Section"),
        migrations.AlterField(model_name="option", name="criterion", field=models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, related_name="options", to="evaluation.criterion",
            verbose_name="评价条目")),
        migrations.AlterField(model_name="answer", name="criterion", field=models.ForeignKey(
            on_delete=django.db.models.deletion.PROTECT, to="evaluation.criterion")),
        migrations.AlterField(model_name="criterionscore", name="assignment", field=models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, related_name="scores", to="evaluation.assignment")),
        migrations.AddConstraint(model_name="answer", constraint=models.UniqueConstraint(
            fields=("evaluation", "criterion"), name="evaluation_one_answer")),
        migrations.AddConstraint(model_name="criterionscore", constraint=models.UniqueConstraint(
            fields=("assignment", "criterion"), name="evaluation_one_score")),
    ]
