#!/usr/bin/env python3
"""Reads an iCalendar object on stdin with Python's icalendar (an independent parser) and prints one
JSON line describing it, for office-plugin's invitation tests (office-plugin/tests/it/ical.rs):

    {"method": "REQUEST", "prodid": "...", "version": "2.0", "calname": null,
     "refresh_interval": null, "published_ttl": null, "raw_lines_ok": true,
     "events": [{"uid": "...", "sequence": 0, "summary": "...", "description": "...",
                 "location": "...", "url": "...", "status": "CONFIRMED",
                 "dtstart": "2026-03-29T08:00:00+00:00", "dtstart_utc": true,
                 "dtend": "...", "dtend_utc": true, "dtstamp_utc": true,
                 "organizer": {"value": "mailto:...", "params": {"CN": "..."}},
                 "attendees": [{"value": "mailto:...", "params": {"CN": "...", "PARTSTAT": "..."}}]}]}

`raw_lines_ok` checks the raw bytes the way RFC 5545 section 3.1 asks: every line ends in CRLF and
is at most 75 octets, and the input is valid UTF-8. Exits 1 with a message on stderr when the input
does not parse.
"""
import datetime
import json
import sys

import icalendar


def is_utc(value):
    return (
        isinstance(value, datetime.datetime)
        and value.tzinfo is not None
        and value.utcoffset() == datetime.timedelta(0)
    )


def address(prop):
    return {"value": str(prop), "params": {k: str(v) for k, v in prop.params.items()}}


def text(comp, name):
    value = comp.get(name)
    return None if value is None else str(value)


def serialised(comp, name):
    """The value as iCalendar writes it (e.g. a DURATION as `PT1H`)."""
    value = comp.get(name)
    return None if value is None else value.to_ical().decode()


def dt(comp, name):
    prop = comp.get(name)
    return None if prop is None else prop.dt


def main():
    raw = sys.stdin.buffer.read()
    raw.decode("utf-8")  # raises on invalid UTF-8, e.g. a multibyte character split by folding
    body = raw[:-2] if raw.endswith(b"\r\n") else raw
    lines = body.split(b"\r\n")
    raw_lines_ok = raw.endswith(b"\r\n") and all(b"\n" not in l and len(l) <= 75 for l in lines)

    cal = icalendar.Calendar.from_ical(raw)
    events = []
    for ev in cal.walk("VEVENT"):
        attendees = ev.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        start, end, stamp = dt(ev, "DTSTART"), dt(ev, "DTEND"), dt(ev, "DTSTAMP")
        events.append(
            {
                "uid": text(ev, "UID"),
                "sequence": int(ev["SEQUENCE"]) if "SEQUENCE" in ev else None,
                "summary": text(ev, "SUMMARY"),
                "description": text(ev, "DESCRIPTION"),
                "location": text(ev, "LOCATION"),
                "url": text(ev, "URL"),
                "status": text(ev, "STATUS"),
                "dtstart": None if start is None else start.isoformat(),
                "dtstart_utc": is_utc(start),
                "dtend": None if end is None else end.isoformat(),
                "dtend_utc": is_utc(end),
                "dtstamp_utc": is_utc(stamp),
                "organizer": address(ev["ORGANIZER"]) if "ORGANIZER" in ev else None,
                "attendees": [address(a) for a in attendees],
            }
        )
    print(
        json.dumps(
            {
                "method": text(cal, "METHOD"),
                "prodid": text(cal, "PRODID"),
                "version": text(cal, "VERSION"),
                "calname": text(cal, "X-WR-CALNAME"),
                "refresh_interval": serialised(cal, "REFRESH-INTERVAL"),
                "published_ttl": text(cal, "X-PUBLISHED-TTL"),
                "raw_lines_ok": raw_lines_ok,
                "events": events,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a parse failure is a test failure, with the reason
        print(f"icscheck: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
