"""Attendance per session: check-in and check-out by scanning a rotating signed code, or
recorded by hand by staff with a reason; every recording is kept."""
