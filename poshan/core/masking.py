"""How personal numbers are shown: masked, always (pages, exports, API)."""


def mask_aadhaar(number: str | None) -> str:
    if not number:
        return ""
    return f"XXXX XXXX {number[-4:]}"


def mask_mobile(number: str | None) -> str:
    if not number:
        return ""
    return f"XXXXXX{number[-4:]}"


def mask_tail(value: str | None, *, keep: int = 4) -> str:
    if not value:
        return ""
    return "X" * max(len(value) - keep, 0) + value[-keep:]
