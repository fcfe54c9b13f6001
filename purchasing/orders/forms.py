from django import forms


class ShipForm(forms.Form):
    note = forms.CharField(label="发货信息", max_length=200, help_text="物流公司和单号，或送货安排。")


class ProblemForm(forms.Form):
    text = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
