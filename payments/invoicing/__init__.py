"""Official documents for paid orders: the receipt the portal draws itself (缴费凭证), and the
invoice or dues receipt (数电发票 through an e-invoicing provider, 会费票据 recorded by finance).

``backend.py`` is the provider interface (``INVOICE_BACKEND``), ``nuonuo.py`` the 诺诺开放平台
backend, ``nuonuo_sandbox.py`` its offline stand-in, ``documents.py`` which fee gets which
document, and ``services.py`` every write.
"""
