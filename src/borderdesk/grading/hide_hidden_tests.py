"""Feedback that never shows hidden tests.

nbgrader renders feedback from the autograded notebook, where autograde has
restored the hidden tests. nbgrader's ClearHiddenTests removes their source, but
a failing hidden assertion still prints its own line in the traceback. So in
cells that held hidden tests each error is also reduced to ``Name: message``
(our hidden tests carry learner-facing messages that do not give the test away).
"""

from nbgrader.preprocessors import ClearHiddenTests


class HideHiddenTests(ClearHiddenTests):
    def preprocess_cell(self, cell, resources, cell_index):
        had_hidden_tests = self.begin_test_delimeter in cell.source
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if had_hidden_tests:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources
