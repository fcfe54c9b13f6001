from django import forms


class QuizForm(forms.Form):
    """One radio list per question; the options are numbered from 1 as staff entered them."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}", coerce=int, widget=forms.RadioSelect,
                choices=[(i, option) for i, option in enumerate(question.option_list(), start=1)],
                error_messages={"required": "请选择一个答案。"})

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}
