# nbgrader config for the course's Jupyter servers (on JUPYTER_CONFIG_PATH, as
# jupyter_server_config.py beside it): the kernel nbgrader's Validate starts gets
# encrypted sockets too, so it does not warn about TCP without encryption.
from borderdesk.lab import encrypt_kernel_sockets

encrypt_kernel_sockets(get_config())  # noqa: F821
