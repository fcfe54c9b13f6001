"""Forms of the committee meetings: declaring a recusal and checking a ballot receipt."""
from django import forms


class RecusalForm(forms.Form):
    reason = forms.CharField(label="回避原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="例如：曾在该机构任职、与其负责人有亲属关系。")


class ReceiptForm(forms.Form):
    code = forms.CharField(label="回执码", max_length=40, help_text="投票后显示的 16 位回执码，如 ABCD-EFGH-JKLM-NPQR。")

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        if len(code.replace("-", "")) != 16:
            raise forms.ValidationError("回执码为 16 位字母和数字（可含短横线）。")
        return code
