"""Step 2: every questionnaire section becomes a chapter and every question an item of the
standard (its maximum: its best option); options, answers and evaluators' scores follow."""
from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    Section = apps.get_model("evaluation", "Section")
    Question = apps.get_model("evaluation", "Question")
    Criterion = apps.get_model("evaluation", "Criterion")
    Option = apps.get_model("evaluation", "Option")
    Answer = apps.get_model("evaluation", "Answer")
    QuestionScore = apps.get_model("evaluation", "QuestionScore")
    CriterionScore = apps.get_model("evaluation", "CriterionScore")
    item_of = {}
    for chapter_no, section in enumerate(Section.objects.order_by("position", "id"), start=1):
        chapter = Criterion.objects.create(programme_id=section.programme_id, code=str(chapter_no), text=section.title,
                                           position=section.position)
        questions = Question.objects.filter(section=section).order_by("position", "id").annotate(
            best=Max("options__points"))
        for item_no, question in enumerate(questions, start=1):
            item = Criterion.objects.create(programme_id=section.programme_id, parent=chapter,
                                            code=f"{chapter_no}.{item_no}", text=question.text,
                                            max_points=question.best or 0, required=question.required,
                                            position=question.position)
            item_of[question.pk] = item.pk
    for question_id, item_id in item_of.items():
        Option.objects.filter(question_id=question_id).update(criterion_id=item_id)
        Answer.objects.filter(question_id=question_id).update(criterion_id=item_id)
    CriterionScore.objects.bulk_create([
        CriterionScore(assignment_id=s.assignment_id, criterion_id=item_of[s.question_id], score=s.score,
                       comment=s.comment)
        for s in QuestionScore.objects.all()
    ])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_criteria")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
