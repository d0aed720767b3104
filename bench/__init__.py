"""``make bench``: performance figures measured beside references in the same run.

``python -m bench.run`` does everything; see its docstring. Nothing here is imported by the
site, and nothing it generates (databases aside) leaves ``var/bench``.
"""
