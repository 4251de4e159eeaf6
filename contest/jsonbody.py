"""Request JSON that cannot hurt the server: a document nested deeper than MAX_DEPTH levels (a
2 KB body of 1,000 brackets made Python's decoder raise RecursionError, an HTTP 500) is
refused like any malformed JSON: a 400 where a view asks for JSON, None where it asks
silently. (A number of more than 4,300 digits is already a ValueError in Python, so a 400.)"""

import json

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32  # the deepest body the API takes is 3 levels


def depth_exceeds(value, limit: int = MAX_DEPTH) -> bool:
    """Iteratively (no recursion): whether `value` nests more than `limit` containers."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if depth_exceeds(value):
            raise ValueError("JSON nested too deeply")
        return value
