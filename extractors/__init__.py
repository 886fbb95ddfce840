"""Text to claims: find every numeric mention in a document and what it is about (no Qt here)."""
