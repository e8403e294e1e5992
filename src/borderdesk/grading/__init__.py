"""nbgrader wiring: releasing assignments and safe feedback."""
