"""Continuing medical education (国家学分继教): projects filed and approved by the 继教办,
registration with fees through payments, attendance by rotating check-in codes, assessment,
credits computed by the national rules, numbered credit certificates and yearly transcripts.
The rules are in ``education/README.md``; each concern is a subpackage: ``projects`` ←
``registration`` ← ``attendance`` ← ``assessment`` ← ``credits``, with the arithmetic of the
rules in ``education.rules`` and the error tree in ``education.exceptions``."""
