"""The purchase order as a PDF (WeasyPrint, CJK font)."""
from core.pdf import render_pdf


def render_order(order) -> bytes:
    return render_pdf("purchasing/order_pdf.html", {
        "order": order, "lines": list(order.lines.select_related("product")),
    })
