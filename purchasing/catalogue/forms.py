from django import forms

from purchasing.suppliers.models import LicenceKind, licence_validator

from .models import Product, registration_problem


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["category", "name", "specification", "unit", "brand", "manufacturer", "registration_no",
                  "list_price"]
        help_texts = {"registration_no": "医疗器械如 国械注准20193170123 或 京械备20200012号；药品如 国药准字H20043256。"}

    def clean(self):
        data = super().clean()
        if data.get("category") and data.get("registration_no"):
            problem = registration_problem(data["category"], data["registration_no"])
            if problem:
                self.add_error("registration_no", problem)
        return data


class LicenceRenewForm(forms.Form):
    kind = forms.ChoiceField(label="证照", choices=LicenceKind.choices)
    number = forms.CharField(label="证号", max_length=50)
    expires_on = forms.DateField(label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="长期有效的留空。")
    file = forms.FileField(label="扫描件", validators=[licence_validator], help_text="PDF、JPG 或 PNG，不超过 10 MB。")
