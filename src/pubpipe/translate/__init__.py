"""Translations: where each one stands, its segments, and PO export and import for translators' tools."""
