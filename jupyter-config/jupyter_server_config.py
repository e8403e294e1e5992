# Jupyter server config for the course, in every mode: `borderdesk lab` (learner and
# --instructor) and the hubs' learner servers put this folder on JUPYTER_CONFIG_PATH.
# Learner-only settings (nbgrader's instructor tools off) are in learner/.
from borderdesk.lab import LABEXTENSIONS, encrypt_kernel_sockets

c = get_config()  # noqa: F821

# BorderDesk's JupyterLab extension ships inside the Python package, so an editable
# install (`pip install -e .`) has it too: nbgrader's Validate only on assignments.
c.LabApp.extra_labextensions_path = [str(LABEXTENSIONS)]

# No "Kernel is running over TCP without encryption" warning: encrypted kernel sockets.
encrypt_kernel_sockets(c)
