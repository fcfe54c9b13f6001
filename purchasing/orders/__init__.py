"""Purchase orders per supplier per member (numbered PDFs), their acceptance, shipping and
receipt, problems reported, the association's service fee paid by suppliers, and staff reports."""
