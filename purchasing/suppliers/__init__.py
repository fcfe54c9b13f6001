"""Suppliers (供应商): the online application with 营业执照 and the licences their products need,
review by the 团购办, and the licence-expiry clock that warns 30 days ahead and suspends listings."""
