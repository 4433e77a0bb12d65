"""Blind indexes of Aadhaar and mobile numbers: how a number is looked up without being stored in clear.

Below both the selectors (searching by mobile) and the services (saving a number).
"""
from __future__ import annotations

from poshan.core.crypto import blind_index


def aadhaar_index(number: str) -> str:
    return blind_index(number, purpose="aadhaar")


def mobile_index(number: str) -> str:
    return blind_index(number, purpose="mobile")
