# The course's nbgrader configuration lives in autograder/nbgrader_config.py.
# This file lets plain `nbgrader` commands and JupyterLab's nbgrader panels,
# started from the course root, use it too.
import os

load_subconfig(  # noqa: F821 (provided by traitlets when it loads this file)
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "autograder", "nbgrader_config.py")
)
