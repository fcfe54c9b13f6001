from django import forms

from .services import MAX_QUANTITY


class QuantitiesForm(forms.Form):
    """One quantity per product of the round (0 or empty: none)."""

    def __init__(self, *args, views, **kwargs):
        super().__init__(*args, **kwargs)
        self.views = views
        for view in views:
            self.fields[f"q{view.item.pk}"] = forms.IntegerField(
                label=str(view.item.product), min_value=0, max_value=MAX_QUANTITY, required=False, initial=view.mine,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}))

    def quantities(self) -> dict[int, int]:
        return {view.item.pk: self.cleaned_data.get(f"q{view.item.pk}") or 0 for view in self.views}
