"""factdesk's desktop app (PySide6): paste or open an article and see every number judged in place.

The only package that imports Qt; it is a thin client of the core in `factdesk`.
"""
