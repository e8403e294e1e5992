# nbgrader config for a course's formgrader service (JUPYTER_CONFIG_PATH, set by the hub).
# The course's own nbgrader_config.py (folders, gradebook, feedback preprocessors) is
# loaded first; the hub then points it at the shared exchange.
import os

c = get_config()  # noqa: F821

root = os.environ["BORDERDESK_COURSE_ROOT"]
if os.path.isfile(os.path.join(root, "nbgrader_config.py")):
    load_subconfig(os.path.join(root, "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.root = root
# The course id must equal the service name the hub gave this server.
c.CourseDirectory.course_id = os.environ["BORDERDESK_COURSE_ID"]
c.Exchange.root = os.environ["BORDERDESK_EXCHANGE"]
c.Exchange.path_includes_course = True
