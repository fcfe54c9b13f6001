"""Who may join the expert pool (004 §9), checked as the applicant types and again on submit.

An expert is under 70 and either (the professional route) has worked ≥5 years in the specialty
and has held an associate-senior title (副高) or above for ≥3 years, or (the management route)
has ≥5 years in middle or senior management of a medical institution. Each unmet condition is
named with the applicant's own figures.
"""
import datetime as dt

from dateutil.relativedelta import relativedelta

MAX_AGE = 70
MIN_SPECIALTY_YEARS = 5
MIN_TITLE_YEARS = 3
MIN_MANAGEMENT_YEARS = 5
SENIOR_TITLES = ("senior", "associate")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def qualification_problems(*, birth_date: dt.date | None, title: str, title_since: dt.date | None,
                           specialty_years: int, management_years: int, today: dt.date) -> list[str]:
    """What keeps the applicant out of the pool today (empty when nothing does)."""
    problems = []
    if birth_date is not None and age_on(birth_date, today) >= MAX_AGE:
        problems.append(f"评价专家须在 {MAX_AGE} 岁以下（第九条（四））：按出生日期 {birth_date:%Y年%m月%d日}，"
                        f"今天已满 {age_on(birth_date, today)} 岁。")
    missing = []
    if specialty_years < MIN_SPECIALTY_YEARS:
        missing.append(f"从事本专业 {MIN_SPECIALTY_YEARS} 年以上（填写为 {specialty_years} 年）")
    if title not in SENIOR_TITLES:
        missing.append("具有副高级及以上专业技术职称")
    elif title_since is None or title_since + relativedelta(years=MIN_TITLE_YEARS) > today:
        since = f"，{title_since + relativedelta(years=MIN_TITLE_YEARS):%Y年%m月%d日} 起满 {MIN_TITLE_YEARS} 年" \
            if title_since else ""
        missing.append(f"取得副高级及以上职称并受聘满 {MIN_TITLE_YEARS} 年{since}")
    if missing and management_years < MIN_MANAGEMENT_YEARS:
        problems.append("须符合第九条（三）：" + "；".join(missing) + "。或者在医疗机构中层、高层从事管理工作 "
                        f"{MIN_MANAGEMENT_YEARS} 年以上（填写为 {management_years} 年）。")
    return problems
