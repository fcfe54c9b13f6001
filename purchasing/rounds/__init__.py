"""Rounds (团购活动): products with tiered prices and a minimum pooled quantity, members'
quantities (editable until closing), closing by the scanner, and each member's confirmation."""
