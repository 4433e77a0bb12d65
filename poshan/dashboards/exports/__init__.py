"""Exports for ministry, state and district staff: CSV or XLSX, streamed when small, a Celery job when large.

Nobody's name or contact leaves in an export: people appear under a pseudonymous id,
Aadhaar only masked; every export is audited.
"""
