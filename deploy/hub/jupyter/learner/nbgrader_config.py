# nbgrader config for learners' servers (found through JUPYTER_CONFIG_PATH, set by the hub).
import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821

# The shared exchange; one folder per course inside it, so several courses can coexist.
c.Exchange.root = os.environ["BORDERDESK_EXCHANGE"]
c.Exchange.path_includes_course = True
# Each learner sees only the courses whose nbgrader-<course> group they are in.
c.Authenticator.plugin_class = JupyterHubAuthPlugin
# Fetched assignments go to ~/assignments/<course>/<assignment>, apart from the course
# clone that nbgitpuller keeps in ~/<repository> (git must not see them).
assignments = os.path.join(os.path.expanduser("~"), "assignments")
os.makedirs(assignments, exist_ok=True)
c.Exchange.assignment_dir = assignments
