# Jupyter server config for a course's formgrader service (JUPYTER_CONFIG_PATH, set by the hub).
import os

c = get_config()  # noqa: F821

# JupyterHub >= 4.1 sends "frame-ancestors 'none'", which blanks JupyterLab's formgrader
# panel (an iframe); nbgrader issue #1870, nbgrader's docs "Formgrader with
# jupyterhub>=4.1". By default graders open /services/<course>/formgrader as a full
# page instead. formgrader_in_iframe in the site file allows same-origin framing here
# only, for hubs with subdomains or trusted users.
if os.environ.get("BORDERDESK_FORMGRADER_IFRAME") == "1":
    c.ServerApp.tornado_settings = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
