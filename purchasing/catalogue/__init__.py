"""Products a qualified supplier lists: category, specification, registration number (format
checked) and list price; listed only while the supplier's matching licence is valid."""
