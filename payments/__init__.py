"""Payments for anything payable: one open order per payable, WeChat Pay (Native QR; the
merchant API or the in-process sandbox, ``payments.gateway``), bank transfers verified by
finance, invoices issued by Celery, and anomalies kept for finance. Payables are known only
through ``payments.payable``: their own description, and the workflow their app registers."""
