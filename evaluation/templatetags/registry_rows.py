"""``{{ page|registry_rows }}``: a page of the public result registry as table rows.

A registry search nobody asked before is built on every request, and through the template
engine its thirty rows cost more than the rest of the page; here they are formatted directly,
every value escaped (``html.escape`` escapes what Django's ``escape`` does)."""
from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()
_STATES = {"published": '<span class="badge text-bg-success">有效</span>',
           "expired": '<span class="badge text-bg-secondary">失效（有效期满）</span>'}
_REVOKED = '<span class="badge text-bg-danger">已撤销（作废）</span>'


def _result(row) -> str:
    if row.kind != "capability":
        return escape(row.grade)
    return (f'<span class="text-warning-emphasis" data-testid="stars">{escape(row.result_label)}</span>'
            f'<div class="small fw-normal text-secondary">信用等级 {escape(row.credit_grade or "无有效结果")}</div>')


@register.filter
def registry_rows(page) -> str:
    return mark_safe("\n".join(  # noqa: S308 - every value is escaped
        f"<tr><td>{escape(row.member_name)}</td><td>{escape(row.programme_name)}</td>"
        f'<td class="fw-bold">{_result(row)}</td><td>{escape(row.certificate_no)}</td>'
        f"<td>{row.valid_until.strftime('%Y-%m-%d') if row.valid_until else ''}</td>"
        f"<td>{_STATES.get(row.state, _REVOKED)}</td></tr>"
        for row in page.object_list))
