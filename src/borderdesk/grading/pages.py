"""HTML pages (class report, "could not be graded" note) from the Jinja2 templates in
``grading/templates/``. Autoescape is on: a student id, a test message or a reason is
always shown as text, never run as HTML.
"""

from __future__ import annotations

import functools


@functools.cache
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("borderdesk.grading", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a value the code forgot to pass fails loudly
        keep_trailing_newline=True,
    )


def render_page(template: str, **values) -> str:
    """The template ``grading/templates/<template>`` filled in with ``values``."""
    return _environment().get_template(template).render(**values)
