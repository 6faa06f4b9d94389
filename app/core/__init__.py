"""Shared machinery used by every feature: database helpers, errors, permissions,
audit log, privacy registry, mail, security headers, i18n and time helpers."""
