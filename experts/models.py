"""Expert pool, conflicts, group draws, workbench, scoring and committee votes."""
