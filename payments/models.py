"""Payments: orders for any payable object, WeChat Pay, bank transfers, invoices."""
