"""The standard as data (Criterion: chapters → items) and per-item scores, step 1: new tables
and the links from options and answers, nullable until the data is moved."""
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_self_score_out_of_100")]

    operations = [
        migrations.CreateModel(
            name="Criterion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(blank=True, max_length=20, verbose_name="编号")),
                ("text", models.TextField(verbose_name="章节名称 / 评价要求")),
                ("max_points", models.DecimalField(blank=True, decimal_places=2, help_text="条目必填；章节留空。",
                                                   max_digits=6, null=True,
                                                   validators=[django.core.validators.MinValueValidator(0)],
                                                   verbose_name="满分")),
                ("evidence_required", models.BooleanField(default=False, verbose_name="须上传佐证材料")),
                ("guidance", models.TextField(blank=True, verbose_name="佐证材料指引")),
                ("required", models.BooleanField(default=True, help_text="社会信用评价自评问卷中须作答。", verbose_name="必答")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                             related_name="items", to="evaluation.criterion", verbose_name="所属章节")),
                ("programme", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="criteria",
                                                to="evaluation.programme", verbose_name="评价项目")),
            ],
            options={"verbose_name": "评价标准条目", "verbose_name_plural": "评价标准", "ordering": ["position", "id"],
                     "constraints": [models.CheckConstraint(
                         condition=models.Q(("parent__isnull", True), ("max_points__isnull", False), _connector="OR"),
                         name="evaluation_item_has_maximum")]},
        ),
        migrations.AddField(model_name="option", name="criterion", field=models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.CASCADE, related_name="options", to="evaluation.criterion",
            verbose_name="评价条目")),
        migrations.AddField(model_name="answer", name="criterion", field=models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.PROTECT, to="evaluation.criterion")),
        migrations.CreateModel(
            name="CriterionScore",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("score", models.DecimalField(decimal_places=2, max_digits=6,
                                              validators=[django.core.validators.MinValueValidator(0)],
                                              verbose_name="评分")),
                ("comment", models.CharField(blank=True, max_length=300, verbose_name="说明")),
                ("assignment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="scores_new",
                                                 to="evaluation.assignment")),
                ("criterion", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                to="evaluation.criterion", verbose_name="评价条目")),
            ],
            options={"verbose_name": "逐项评分", "verbose_name_plural": "逐项评分"},
        ),
    ]
