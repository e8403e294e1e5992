# Marker bound at /course/autograder/nbgrader_config.py inside the grading sandbox, so
# borderdesk.paths.course_root() finds the course view there. Deliberately empty: the
# real config (paths to solutions/ and the gradebook) is never shown to student code.
