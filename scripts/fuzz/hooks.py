"""Schemathesis hooks for scripts/fuzz.sh: rules of the Tacit API that OpenAPI 3.0 cannot express.

Only *positive* cases (requests the document promises are valid) are adjusted, each into a
request the server must accept; negative cases go out untouched, so every rejection is still
tested. The rules are the ones /openapi.yaml states in prose:

- a timestamp is from 1970 to one day after the receive time (seconds, milliseconds above 1e11,
  or ISO 8601 text) -- a bound that moves with the clock;
- min_price is at most max_price -- a relation between two parameters;
- GET /v1/stats/overview: since is not after until (until defaults to now);
- PUT /v1/items/{id}: an item_id in the body equals the id in the path;
- an id is at most 256 bytes in UTF-8 (JSON Schema's maxLength counts characters);
- an attribute's key is text without NUL (OpenAPI 3.0 has no schema for property names).
"""
from datetime import datetime, timezone
import urllib.parse
import time

import schemathesis

ID_FIELDS = ("user_id", "item_id", "event_id", "recommendation_id")
VALID_TIME = "2024-01-02T03:04:05Z"


def _is_positive(case):
    meta = case.meta
    return meta is None or meta.generation.mode.is_positive


def _timestamp_ok(value):
    horizon = time.time() + 86_400
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        return 0 <= seconds <= horizon
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return True  # not ours to judge: the server decides on the format
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return 0 <= parsed.timestamp() <= horizon
    return True


def _short_id(value):
    if isinstance(value, str) and len(value.encode("utf-8")) > 256:
        data = value.encode("utf-8")[:256]
        return data.decode("utf-8", errors="ignore") or "x"
    return value


def _fix_event(event):
    if not isinstance(event, dict):
        return
    if "timestamp" in event and event["timestamp"] is not None and not _timestamp_ok(event["timestamp"]):
        event["timestamp"] = VALID_TIME
    for field in ID_FIELDS:
        if field in event:
            event[field] = _short_id(event[field])


def _fix_attribute_keys(item):
    if isinstance(item, dict) and isinstance(item.get("attributes"), dict):
        item["attributes"] = {key.replace("\x00", ""): value for key, value in item["attributes"].items()}


def _adjust(case):
    if not _is_positive(case):
        return case
    path = case.operation.path
    body = case.body if isinstance(case.body, dict) else None
    if case.path_parameters:
        for name, value in list(case.path_parameters.items()):
            case.path_parameters[name] = _short_id(value)
    if path == "/v1/events" and body is not None:
        events = body.get("events")
        for event in events if isinstance(events, list) else [body]:
            _fix_event(event)
    if path == "/v1/items" and body is not None and isinstance(body.get("items"), list):
        for item in body["items"]:
            if isinstance(item, dict) and "item_id" in item:
                item["item_id"] = _short_id(item["item_id"])
            _fix_attribute_keys(item)
    if path == "/v1/items/{id}" and body is not None:
        _fix_attribute_keys(body)
    if path == "/v1/items/{id}" and case.method.upper() == "PUT" and body is not None and body.get("item_id") is not None:
        body["item_id"] = urllib.parse.unquote((case.path_parameters or {}).get("id", body["item_id"]))
    query = case.query
    if path == "/v1/users/{id}/recommendations" and query:
        low, high = query.get("min_price"), query.get("max_price")
        try:
            if low is not None and high is not None and float(low) > float(high):
                query["min_price"], query["max_price"] = high, low
        except (TypeError, ValueError):
            pass
    if path == "/v1/stats/overview" and query and query.get("since") not in (None, ""):
        try:
            since = int(query["since"])
            until = query.get("until")
            if until in (None, "") and since > time.time() or until not in (None, "") and int(until) < since:
                query["until"] = since
        except (TypeError, ValueError):
            pass
    return case


@schemathesis.hook
def map_case(context, case):
    return _adjust(case)


@schemathesis.hook
def before_call(context, case, **kwargs):
    # Stateful runs fill parameters from earlier responses after map_case: adjust again.
    _adjust(case)
