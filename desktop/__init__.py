"""The factdesk desktop app (Qt). The only package that imports PySide6; built on the `factdesk` core."""
