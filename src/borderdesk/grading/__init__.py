"""nbgrader wiring: release, autograde (parallel, sandboxed), feedback, export, report.

Where things live:

Commands (each module has ``register(subparsers)`` for the ``borderdesk`` CLI)
  release.py      ``borderdesk release``: exercises/ from solutions/ (nbgrader generate_assignment)
  grade.py        ``borderdesk grade``: finds submissions, runs the workers, records outcomes
  feedback.py     ``borderdesk feedback``: per-student HTML feedback, released through the exchange
  export.py       ``borderdesk export``: the grades as CSV
  report.py       ``borderdesk report``: one HTML page about the class

Autograding, in the worker processes
  worker.py           the worker loop: one nbgrader Autograde converter, a submission at a time
  nbgrader_steps.py   our subclasses of nbgrader's steps (output cap, stuck kernels, duplicates)
  kernels.py          a fresh sandboxed kernel per submission; how a kernel ended, in words
  sandbox.py          the bubblewrap command line and its checks
  zygote.py           the warm process in the sandbox that forks each kernel

Shared
  config.py             which nbgrader config and which gradebook
  gradebook.py          the gradebook lock and the engine shared by nbgrader Gradebooks
  integrity.py          submission fingerprint; tampering with test cells
  outcome_store.py      graded or could not be graded (and why), per submission
  results.py            class results: every student's per-question scores and status
  hide_hidden_tests.py  nbgrader preprocessor keeping hidden tests out of feedback
  pages.py, templates/  the HTML pages (Jinja2, autoescaped)
"""
