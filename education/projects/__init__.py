"""Projects (继续医学教育项目): filing (备案), approval, publication, sessions, lecturers, the
quiz a project may set, recorded amendments, and the yearly credit requirement."""
