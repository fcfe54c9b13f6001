"""Credits: the computation after a project ends (by ``education.rules``), numbered
certificates (void and reissue, never edit), 我的学分, yearly transcripts and the roster export
for the CME platforms."""
