"""afterview: a Jupyter workbook for what happens after a job interview.

The package keeps the journal (:mod:`~afterview_analysis.journal`), the vocabulary
(:mod:`~afterview_analysis.records`) and everything computed from them. Submodules are
imported on demand so the command line stays fast.
"""

__version__ = "0.1.0"
