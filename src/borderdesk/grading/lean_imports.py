"""Imported first by every grading process (``borderdesk grade`` and the fork server its
workers come from); importing it is its whole effect.

Importing jsonschema (nbformat and nbgrader do) costs about 1.5 s of CPU when
rfc3987_syntax is installed: it builds lark grammars for the "iri" format checks.
Nothing in grading checks formats (nbformat and nbgrader validate without a format
checker), so in a grading process jsonschema is told that package is absent and skips
those checks. A process that imported jsonschema already is left as it is.
"""

import sys

if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
