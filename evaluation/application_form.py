"""The capability programme's online application form (004 annex 2-2, 中国非公立医疗机构协会
会员单位能力评价申报表) as data: sections of labelled fields, the clinical department heads'
roster and the equipment list as tables with rows added and removed, three years of operating
statistics as a grid.

One description drives everything: the Django forms that validate each section (numbers as
numbers, every field filled or 无, the cross-checks the annex implies), each section's status,
the read-only rendering in the admin, and the PDF laid out like the annex. What the institution
typed is stored as typed (``ApplicationForm.data``), so a 保存 never loses anything, even an
answer that does not validate yet.
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator

from accounts.validators import validate_mobile

PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区",
)
YES_NO = ("是", "否")
GENDER = ("男", "女")
ORGANISED = ("单独建立", "联合建立", "尚未建立")
LAB_KINDS = ("临床体液、血液", "临床化学检验", "临床免疫、血清学", "细胞分子遗传学", "临床微生物学")
MAX_ROWS = 100
FILL_OR_NONE = "请填写；不适用的请填“无”。"
NUMBER_REQUIRED = "请填写阿拉伯数字；没有的请填 0。"
MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Field:
    """One answer of the form. ``kind``: text, long, int, decimal, percent, year, choice,
    multi, month, email, mobile, postcode."""

    name: str
    label: str
    kind: str = "text"
    choices: tuple = ()
    unit: str = ""
    help: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Group:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """Rows the institution adds and removes (the roster, the equipment list)."""

    key: str
    title: str
    columns: tuple[Field, ...]
    min_rows: int = 0
    none_label: str = ""  # a checkbox that says there is nothing to list (else min_rows applies)


@dataclass(frozen=True)
class Grid:
    """Rows of figures for each of the three years before the application."""

    title: str
    rows: tuple[Field, ...]

    def field_name(self, row: Field, column: int) -> str:
        return f"{row.name}_{column}"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    groups: tuple[Group, ...] = ()
    grid: Grid | None = None
    table: Table | None = None
    checks: tuple = field(default=())  # functions(cleaned, years) -> [(field name, message)]

    def fields(self, years) -> list[Field]:
        """Every single-valued answer, with the per-year ones named and labelled by year."""
        found = [f for group in self.groups for f in group.fields]
        if self.grid:
            found += [Field(self.grid.field_name(row, i), f"{year}年{row.label}", row.kind, unit=row.unit)
                      for row in self.grid.rows for i, year in enumerate(years)]
        return [_per_year(f, years) for f in found]


def _per_year(f: Field, years) -> Field:
    """``{year0}`` in a label is the first of the three years, and so on."""
    if "{year" not in f.label:
        return f
    return Field(f.name, f.label.format(year0=years[0], year1=years[1], year2=years[2]), f.kind, f.choices,
                 f.unit, f.help, f.optional)


def _person(prefix: str, title: str, *, position=False, training=False, since=False) -> Group:
    """A leader's block of the annex (name, gender, age, specialty, title, education …)."""
    fields = [Field(f"{prefix}_name", "姓名"), Field(f"{prefix}_gender", "性别", "choice", GENDER),
              Field(f"{prefix}_age", "年龄", "int", unit="岁"), Field(f"{prefix}_specialty", "专业")]
    if position:
        fields.append(Field(f"{prefix}_position", "职务"))
    fields.append(Field(f"{prefix}_title", "职称"))
    fields.append(Field(f"{prefix}_education", "培训经历及学历（位）" if training else "学历（位）",
                        "long" if training else "text"))
    if since:
        fields.append(Field(f"{prefix}_since", "任现职时间", "month"))
    return Group(title, tuple(fields))


def _doctors(prefix: str, title: str) -> Group:
    return Group(title, (Field(f"{prefix}_doctors", "医生数", "int", unit="名"),
                         Field(f"{prefix}_senior", "正高", "int", unit="名"),
                         Field(f"{prefix}_associate", "副高", "int", unit="名"),
                         Field(f"{prefix}_middle", "中级", "int", unit="名"),
                         Field(f"{prefix}_junior", "初级", "int", unit="名")))


def _service(prefix: str, title: str) -> Group:
    return Group(title, (Field(prefix, f"{title}业务开展情况", "choice", YES_NO),
                         Field(f"{prefix}_equipment", "现投入使用的主要设备"),
                         Field(f"{prefix}_doctors", "医师", "int", unit="名"),
                         Field(f"{prefix}_technicians", "技师", "int", unit="名")))


# --- cross-checks the annex implies --------------------------------------------------------

def _not_more(part_names, whole, message):
    def check(cleaned, years):
        parts = [cleaned.get(name) for name in part_names]
        if cleaned.get(whole) is None or any(p is None for p in parts):
            return []
        total = sum(parts)
        return [(whole, message.format(total=total, whole=cleaned[whole]))] if total > cleaned[whole] else []
    return check


def _lab_kinds(cleaned, years):
    mode, problems = cleaned.get("laboratory"), []
    if mode in ("部分外包", "自行开展") and not cleaned.get("lab_own"):
        problems.append(("lab_own", "请勾选自行开展的业务种类。"))
    if mode in ("全部外包", "部分外包") and not cleaned.get("lab_outsourced"):
        problems.append(("lab_outsourced", "请勾选外包的业务种类。"))
    return problems


def _opened_after_approval(cleaned, years):
    approved, opened = cleaned.get("approved_on"), cleaned.get("opened_on")
    if approved and opened and opened < approved:
        return [("opened_on", "开业日期不能早于设置批准日期。")]
    return []


SECTIONS = (
    Section("cover", "封面：通讯与联系信息", groups=(
        Group("通讯地址", (Field("province", "省（自治区、直辖市）", "choice", PROVINCES),
                          Field("district", "区（县、市）"), Field("address", "详细地址"),
                          Field("postcode", "邮政编码", "postcode"))),
        Group("联系方式", (Field("fax", "单位传真"), Field("unit_email", "单位邮箱", "email"),
                          Field("head", "单位负责人"), Field("head_phone", "联系电话"),
                          Field("contact", "单位联系人"), Field("contact_mobile", "联系人手机", "mobile"),
                          Field("contact_email", "联系人邮箱", "email"))),
    )),
    Section("basic", "一、医疗机构基本情况", groups=(
        Group("投资机构", (Field("investor_name", "投资机构名称"),
                          Field("investor_intro", "投资机构情况简介", "long"))),
        _person("investor_rep", "投资企业法定代表人", position=True, training=True),
        _person("legal_rep", "医疗机构法定代表人", position=True, training=True),
        Group("资本、资产与日期", (Field("registered_capital", "医疗机构注册资本", "decimal", unit="万元"),
                                  Field("fixed_assets", "医疗机构固定资产", "decimal", unit="万元"),
                                  Field("approved_on", "设置批准日期", "month"),
                                  Field("opened_on", "开业日期", "month"))),
        Group("面积与用房", (Field("land_area", "占地面积", "decimal", unit="m²"),
                            Field("building_area", "建筑面积", "decimal", unit="m²"),
                            Field("business_area", "其中业务用房面积", "decimal", unit="m²"),
                            Field("property", "医疗机构用房产权情况", "choice", ("自行购置", "租赁")))),
        Group("类别、科室与服务", (
            Field("category", "医疗机构类别", "choice", ("医院", "门诊部", "诊所", "其他")),
            Field("specialty", "专科特色（综合性医疗机构）或专科名称（专科医疗机构）"),
            Field("departments", "科室设置情况", "long", help="全面填写临床、医技科室的设置及业务项目开展情况。"),
            Field("services", "服务方式", "multi", ("门诊", "急诊", "住院", "家庭病床", "体检", "其他")))),
        Group("床位与牙科诊疗椅", (Field("beds_approved", "核定床位数", "int", unit="张"),
                                  Field("beds_open", "开放床位数", "int", unit="张"),
                                  Field("dental_chairs", "牙科诊疗椅数", "int", unit="张"))),
        Group("党组织与工会", (Field("party", "医疗机构建立党组织情况", "choice", ORGANISED),
                              Field("party_members", "党员人数", "int", unit="人"),
                              Field("union", "医疗机构建立工会组织情况", "choice", ORGANISED))),
        Group("性质与投资方式", (Field("nature", "医疗机构性质", "choice", ("营利性", "非营利性")),
                                Field("investment", "医疗机构投资方式", "choice",
                                      ("中资", "境外独资", "中外合资", "中外合作")))),
        Group("定点、教学与培训基地", (Field("insurance", "医保定点医疗机构", "choice", YES_NO),
                                      Field("rural_insurance", "新农合定点医疗机构", "choice", YES_NO),
                                      Field("teaching", "教学医院", "choice", YES_NO),
                                      Field("affiliated", "附属医院", "choice", YES_NO),
                                      Field("residency_base", "规范化培训基地", "choice", YES_NO),
                                      Field("specialist_base", "专科医师培训基地", "choice", YES_NO),
                                      Field("base_name", "基地名称"))),
        Group("荣誉与认证", (
            Field("civilised", "文明单位获得情况", "choice", ("国家级", "省部级", "地市级", "尚未获得")),
            Field("honours", "获得荣誉情况简介", "long",
                  help="除单位荣誉外，还可填写单位成员担任各级人大代表、政协委员的情况；请另附证书复印件。"),
            Field("certifications", "获JCI、ISO、CAP或地市级以上技监部门等质量管理认证机构认证情况简介", "long"))),
        Group("不良执业行为积分（申报前3年）", (
            Field("bad_points_0", "{year0}年不良执业行为积分", "decimal", unit="分"),
            Field("bad_points_1", "{year1}年不良执业行为积分", "decimal", unit="分"),
            Field("bad_points_2", "{year2}年不良执业行为积分", "decimal", unit="分"),
            Field("bad_reasons", "评价周期内不良执业行为扣分原因及卫生计生行政部门处罚情况简介", "long"))),
        Group("医疗纠纷与医疗事故（评价周期内）", (
            Field("disputes", "医疗纠纷发生数", "int", unit="起"),
            Field("accidents", "鉴定为医疗事故数", "int", unit="起"),
            Field("by_litigation", "诉讼途径解决", "int", unit="起"),
            Field("by_administration", "行政部门解决", "int", unit="起"),
            Field("by_mediation", "第三方协调处理、自行协商解决", "int", unit="起"),
            Field("incidents", "每起医疗事件发生、处理及签订主要情况", "long"))),
    ), checks=(
        _not_more(("business_area",), "building_area", "业务用房面积（{total}）不能大于建筑面积（{whole}）。"),
        _not_more(("beds_open",), "beds_approved", "开放床位数（{total}）不能多于核定床位数（{whole}）。"),
        _not_more(("accidents",), "disputes", "医疗事故数（{total}）不能多于医疗纠纷数（{whole}）。"),
        _not_more(("by_litigation", "by_administration", "by_mediation"), "disputes",
                  "各途径解决的纠纷合计 {total} 起，多于医疗纠纷发生数 {whole} 起。"),
        _opened_after_approval,
    )),
    Section("staff", "二、医疗机构人员情况", groups=(
        Group("人员数", (Field("staff_total", "员工总数", "int", unit="名"),
                        Field("doctors", "医生人数", "int", unit="名"),
                        Field("pharmacists", "药学人数", "int", unit="名"),
                        Field("nurses", "护理人数", "int", unit="名"),
                        Field("technicians", "医技人数", "int", unit="名"),
                        Field("administrators", "行管人数", "int", unit="名"),
                        Field("logistics", "后勤人数", "int", unit="名"))),
        _doctors("primary", "第一注册执业地点在本院的医生"),
        _doctors("secondary", "第二、三注册执业地点在本院的医生"),
        _person("gm", "医院总经理", since=True),
        _person("president", "院长", since=True),
        Group("领导体制", (Field("leadership", "领导体制", "choice", ("总经理负责制", "院长负责制", "其他")),
                          Field("leadership_other", "其他领导体制（请填写；无则填“无”）"))),
        _person("medical_head", "医务部门负责人", since=True),
        _person("nursing_head", "护理部门负责人", since=True),
    ), table=Table("heads", "临床科室负责人情况", (
        Field("name", "姓名"), Field("gender", "性别", "choice", GENDER), Field("age", "年龄", "int"),
        Field("specialty", "专业"), Field("title", "职称"), Field("since", "任职时间", "month"),
    ), min_rows=1), checks=(
        _not_more(("doctors", "pharmacists", "nurses", "technicians", "administrators", "logistics"), "staff_total",
                  "各类人员合计 {total} 名，多于员工总数 {whole} 名。"),
        _not_more(("primary_senior", "primary_associate", "primary_middle", "primary_junior"), "primary_doctors",
                  "各职称合计 {total} 名，多于第一注册执业地点在本院的医生数 {whole} 名。"),
        _not_more(("secondary_senior", "secondary_associate", "secondary_middle", "secondary_junior"),
                  "secondary_doctors", "各职称合计 {total} 名，多于第二、三注册执业地点在本院的医生数 {whole} 名。"),
    )),
    Section("operations", "三、医疗机构业务开展情况", grid=Grid("业务统计（近三年）", (
        Field("outpatients", "门诊", "int", unit="人次"),
        Field("inpatients", "住院人次", "int", unit="人次"),
        Field("operations", "手术", "int", unit="人次"),
        Field("outpatient_cost", "门诊次均费用", "decimal", unit="元/人次"),
        Field("stay", "平均住院天", "decimal", unit="天"),
        Field("bed_day_cost", "住院日均费用", "decimal", unit="元/床日"),
        Field("revenue", "业务收入", "decimal", unit="万元"),
        Field("expense", "业务支出", "decimal", unit="万元"),
        Field("diagnosis_outpatient", "门诊与出院诊断符合率", "percent", unit="%"),
        Field("diagnosis_surgery", "手术前后诊断符合率", "percent", unit="%"),
        Field("diagnosis_admission", "入院与出院诊断符合率", "percent", unit="%"),
        Field("complications", "手术并发症发生率", "percent", unit="%"),
        Field("three_day", "入院三日确诊率", "percent", unit="%"),
        Field("cure", "住院治愈率", "percent", unit="%"),
    )), groups=(
        Group("临床重点专科", (Field("national_key", "国家临床重点专科建设项目", "choice", YES_NO),
                              Field("national_names", "专利或专业专科名称（无则填“无”）"),
                              Field("provincial_key", "省级临床重点专科建设单位", "choice", YES_NO),
                              Field("provincial_count", "现有省级重点专科数", "int", unit="个"),
                              Field("provincial_names", "省级重点专科名称（无则填“无”）"),
                              Field("local_key", "地方级临床重点专科建设单位", "choice", YES_NO),
                              Field("local_count", "现有地方级重点专科数", "int", unit="个"),
                              Field("local_names", "地方级重点专科名称（无则填“无”）"))),
        _service("radiology", "放射科"),
        _service("ultrasound", "超声科"),
        Group("检验科", (Field("laboratory", "检验科业务开展情况", "choice", ("全部外包", "部分外包", "自行开展")),
                        Field("lab_own", "自行开展业务种类", "multi", LAB_KINDS, optional=True),
                        Field("lab_outsourced", "外包业务种类", "multi", LAB_KINDS, optional=True),
                        Field("lab_staff", "检验专业技术人员", "int", unit="名"))),
        Group("病理科", (Field("pathology", "病理科业务", "choice", ("全部外包", "部分外包", "自行开展", "不开展")),
                        Field("pathology_doctors", "病理科医师", "int", unit="名"),
                        Field("pathology_staff", "病理技术和辅助人员", "int", unit="名"))),
        Group("质控督查", (Field("quality_control", "参加各级各专业质控督查及评价情况", "long"),)),
    ), checks=(_lab_kinds,)),
    Section("equipment", "四、10万元以上医疗仪器设备情况", table=Table("equipment", "医疗仪器设备（按购进价排序）", (
        Field("name", "名称"), Field("year", "出厂年份", "year"), Field("quantity", "数量", "int"),
        Field("price", "购进价", "decimal", unit="万元"), Field("remark", "备注", optional=True),
    ), none_label="本单位没有购进价 10 万元以上的医疗仪器设备")),
    Section("narratives", "五、星级医疗机构创建工作的主要成绩与感悟", groups=(Group("", (
        Field("creation", "1. 星级医疗机构创建工作情况", "long",
              help="主要做法与成绩、经验与体会、问题与打算及意见建议。"),
        Field("rules", "2. 各项规章制度的建立与执行情况", "long",
              help="根据本单位实际情况建立健全各种制度、职责、诊疗常规、操作规范、技术标准、工作流程的情况"
                   "（可另附本单位制订的各项规章制度的清单）。"),
        Field("practices", "3. 医院诚信、服务、建设、管理的成功做法、体会及亮点", "long"),
        Field("highlights", "4. 医、教、研、保（健）、社（区卫生）、康（复）工作取得的亮点", "long"),
        Field("problems", "5. 医院诚信、服务、建设和管理中存在的主要问题或不足及改进意见", "long"),
    )),)),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


def years_before(year: int) -> tuple[int, int, int]:
    """The three years the form reports on: those before the year of application (填写说明十一)."""
    return (year - 3, year - 2, year - 1)


# --- forms ------------------------------------------------------------------------------------

class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "例如 2015-06"})
    default_error_messages = {"invalid": "请按“年-月”填写，例如 2015-06。"}

    def to_python(self, value):
        value = super().to_python(value)
        if value and not MONTH.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def form_field(spec: Field) -> forms.Field:
    """The Django field for one answer: required unless the annex allows leaving it out."""
    label = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
    options = {"label": label, "required": not spec.optional, "help_text": spec.help}
    numbers = {"required": NUMBER_REQUIRED, "invalid": "请填写阿拉伯数字。"}
    text = {"required": FILL_OR_NONE}
    kind = spec.kind
    if kind == "int":
        return forms.IntegerField(min_value=0, max_value=10**9, error_messages=numbers, **options)
    if kind == "year":
        return forms.IntegerField(min_value=1950, max_value=dt.date.today().year, error_messages=numbers, **options)
    if kind in ("decimal", "percent"):
        ceiling = Decimal(100) if kind == "percent" else Decimal(10**11)
        return forms.DecimalField(min_value=0, max_value=ceiling, max_digits=14, decimal_places=2,
                                  error_messages=numbers, **options)
    if kind == "choice":
        return forms.ChoiceField(choices=[(c, c) for c in spec.choices], widget=forms.RadioSelect,
                                 error_messages={"required": "请选择一项。"}, **options)
    if kind == "multi":
        return forms.MultipleChoiceField(choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": "请至少选择一项。"}, **options)
    if kind == "month":
        return MonthField(max_length=7, error_messages=text, **options)
    if kind == "email":
        return forms.EmailField(max_length=100, error_messages={"required": "请填写电子邮箱。"}, **options)
    if kind == "mobile":
        return forms.CharField(max_length=11, validators=[validate_mobile],
                               error_messages={"required": "请填写手机号。"}, **options)
    if kind == "postcode":
        return forms.CharField(max_length=6, validators=[RegexValidator(r"^\d{6}$", "邮政编码为 6 位数字。")],
                               error_messages={"required": "请填写邮政编码。"}, **options)
    if kind == "long":
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), error_messages=text,
                               **options)
    return forms.CharField(max_length=200, error_messages=text, **options)


class SectionForm(forms.Form):
    """One section's answers, validated by its description and cross-checks."""

    def __init__(self, *args, section: Section, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.section, self.years = section, years
        for spec in section.fields(years):
            self.fields[spec.name] = form_field(spec)

    def clean(self):
        cleaned = super().clean()
        for check in self.section.checks:
            for name, message in check(cleaned, self.years):
                self.add_error(name, message)
        return cleaned


class RowForm(forms.Form):
    def __init__(self, *args, table: Table, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in table.columns:
            self.fields[spec.name] = form_field(spec)
            if spec.kind == "choice":  # a compact drop-down in a table cell
                self.fields[spec.name].widget = forms.Select(choices=[("", "请选择"), *self.fields[spec.name].choices])


class RowsFormSet(forms.BaseFormSet):
    def __init__(self, *args, table: Table, none_checked: bool = False, **kwargs):
        self.table, self.none_checked = table, none_checked
        super().__init__(*args, form_kwargs={"table": table}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if self.table.none_label and self.none_checked:
            if filled:
                raise forms.ValidationError(f"已勾选“{self.table.none_label}”，请删除已填写的行或取消勾选。")
            return
        needed = self.table.min_rows or (1 if self.table.none_label else 0)
        if len(filled) < needed:
            raise forms.ValidationError(f"请至少填写 {needed} 行" +
                                        (f"，或勾选“{self.table.none_label}”。" if self.table.none_label else "。"))


def rows_formset(table: Table, rows: list[dict] | None, *, extra_blank: int = 0, none_checked=False, bound=True):
    """The table's formset bound to the stored ``rows`` (plus blank rows to type into)."""
    formset_class = forms.formset_factory(RowForm, formset=RowsFormSet, extra=0, can_delete=True,
                                          max_num=MAX_ROWS, absolute_max=MAX_ROWS)
    rows = list(rows or []) + [{} for _ in range(extra_blank)]
    if not bound:
        return formset_class(prefix=table.key, table=table, initial=rows or [{}])
    data = {f"{table.key}-TOTAL_FORMS": str(len(rows)), f"{table.key}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"{table.key}-{i}-{name}"] = value
    return formset_class(data, prefix=table.key, table=table, none_checked=none_checked)


def rows_from_post(table: Table, post) -> list[dict]:
    """The rows typed into the table, in order, without removed or entirely blank ones."""
    try:
        total = min(int(post.get(f"{table.key}-TOTAL_FORMS", 0)), MAX_ROWS)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for i in range(total):
        if post.get(f"{table.key}-{i}-DELETE"):
            continue
        row = {c.name: str(post.get(f"{table.key}-{i}-{c.name}", ""))[:5000].strip() for c in table.columns}
        if any(row.values()):
            rows.append(row)
    return rows


def answers_from_post(spec: Section, years, post) -> dict:
    """The section's answers as typed (kept even when they do not validate yet)."""
    answers = {}
    for f in spec.fields(years):
        if f.kind == "multi":
            answers[f.name] = [str(v)[:50] for v in post.getlist(f.name)][:20]
        else:
            answers[f.name] = str(post.get(f.name, ""))[:5000].strip()
    if spec.table:
        answers[spec.table.key] = rows_from_post(spec.table, post)
        if spec.table.none_label:
            answers[f"{spec.table.key}_none"] = bool(post.get(f"{spec.table.key}_none"))
    return answers


# --- the filled form --------------------------------------------------------------------------

@dataclass
class SectionState:
    section: Section
    form: SectionForm
    formset: RowsFormSet | None
    started: bool

    @property
    def complete(self) -> bool:
        return self.started and self.form.is_valid() and (self.formset is None or self.formset.is_valid())

    @property
    def status(self) -> str:
        return "已完成" if self.complete else "待完善" if self.started else "未填写"

    def groups(self) -> list[tuple[str, list]]:
        """The section's groups with their bound fields, for the page."""
        return [(group.title, [self.form[f.name] for f in group.fields]) for group in self.section.groups]

    def grid_rows(self) -> list[tuple[str, str, list]]:
        """The grid's rows: label, unit and one bound field per year."""
        grid = self.section.grid
        if grid is None:
            return []
        return [(row.label, row.unit, [self.form[grid.field_name(row, i)] for i in range(3)]) for row in grid.rows]

    @property
    def none_checked(self) -> bool:
        table = self.section.table
        return bool(table and table.none_label and self.form.data.get(f"{table.key}_none"))


class FilledForm:
    """The stored answers read through the form's description (validation, status, display)."""

    def __init__(self, data: dict, years, initial: dict | None = None):
        self.data, self.years, self.initial = data or {}, years, initial or {}

    def state(self, key: str, *, extra_blank: int = 0) -> SectionState:
        spec = section(key)
        answers = self.data.get(key)
        started = answers is not None
        if started:
            form = SectionForm(answers, section=spec, years=self.years)
        else:
            form = SectionForm(section=spec, years=self.years, initial=self.initial.get(key, {}))
        formset = None
        if spec.table:
            if started:
                formset = rows_formset(spec.table, answers.get(spec.table.key), extra_blank=extra_blank,
                                       none_checked=bool(answers.get(f"{spec.table.key}_none")))
            else:
                formset = rows_formset(spec.table, None, bound=False)
        return SectionState(spec, form, formset, started)

    def states(self) -> list[SectionState]:
        return [self.state(key) for key in SECTION_KEYS]

    def incomplete(self) -> list[str]:
        return [s.section.title for s in self.states() if not s.complete]

    def display(self) -> list[dict]:
        """Every section for reading (admin, PDF): groups of (label, value, unit), the grid by
        year, the table's rows. Values are shown as typed; choices as chosen."""
        shown = []
        for spec in SECTIONS:
            answers = self.data.get(spec.key) or {}
            labelled = {f.name: f for f in spec.fields(self.years)}
            groups = [(group.title, [(labelled[f.name].label, _shown(answers.get(f.name)), f.unit)
                                     for f in group.fields]) for group in spec.groups]
            grid = None
            if spec.grid:
                grid = [(f"{row.label}（{row.unit}）", [_shown(answers.get(spec.grid.field_name(row, i)))
                                                       for i in range(3)]) for row in spec.grid.rows]
            table = None
            if spec.table:
                rows = answers.get(spec.table.key) or []
                table = {"title": spec.table.title, "columns": [c.label + (f"（{c.unit}）" if c.unit else "")
                                                                 for c in spec.table.columns],
                         "rows": [[_shown(row.get(c.name)) for c in spec.table.columns] for row in rows],
                         "none": spec.table.none_label if answers.get(f"{spec.table.key}_none") else ""}
            shown.append({"key": spec.key, "title": spec.title, "groups": groups, "grid": grid, "table": table})
        return shown


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(value) or "—"
    return str(value) if value not in (None, "") else "—"


# --- what the membership profile already knows -----------------------------------------------

CATEGORY_OF_TYPE = {"hospital": "医院", "outpatient": "门诊部", "clinic": "诊所"}


def prefill(member) -> dict:
    """Initial answers from the member's registration, per section (the institution checks them)."""
    unit = getattr(member, "unit", None)
    contact = member.contacts.filter(is_primary=True).first() or member.contacts.first()
    cover = {"address": unit.address if unit else ""}
    if contact:
        cover.update(contact=contact.name, contact_mobile=contact.mobile, contact_email=contact.email)
    basic = {}
    if unit:
        basic = {"legal_rep_name": unit.legal_representative, "opened_on": f"{unit.opened_on:%Y-%m}",
                 "beds_approved": unit.beds, "beds_open": unit.beds, "dental_chairs": unit.dental_chairs,
                 "category": CATEGORY_OF_TYPE.get(unit.institution_type, "其他")}
    return {"cover": cover, "basic": basic}
