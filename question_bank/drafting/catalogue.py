"""The catalogue of administrative-reform facts shipped with the drafter (catalogue.json)."""

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("catalogue.json")


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """The catalogue, NFC-normalised (it is read once and never changed)."""
    return _nfc(json.loads(PATH.read_text(encoding="utf-8")))


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value
