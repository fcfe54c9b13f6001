"""Evaluators and experts who work in the workbench (the expert pool grows here later)."""
from django.conf import settings
from django.db import models


class Evaluator(models.Model):
    class Kind(models.TextChoices):
        CREDIT = "credit", "第三方信评机构人员"
        EXPERT = "expert", "评价专家"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator",
                                verbose_name="登录账号")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    name = models.CharField("姓名", max_length=50)
    organisation = models.CharField("所属机构", max_length=100, help_text="例如第三方信评机构名称。")
    employer_name = models.CharField("任职单位", max_length=100, blank=True,
                                     help_text="同时任职于医疗机构的，填写该机构名称。")
    employer_credit_code = models.CharField("任职单位统一社会信用代码", max_length=18, blank=True)
    specialty = models.CharField("专业", max_length=50, blank=True)
    is_active = models.BooleanField("可指派", default=True)

    class Meta:
        verbose_name = "评价人员"
        verbose_name_plural = "评价人员"

    def __str__(self):
        return f"{self.name}（{self.organisation}）"

    def conflicts_with(self, member) -> bool:
        """Employed by the institution under evaluation (by credit code, or by name)."""
        if self.employer_credit_code and self.employer_credit_code.upper() == member.credit_code.upper():
            return True
        return bool(self.employer_name) and self.employer_name.strip() == member.name.strip()
