#!/usr/bin/python3
"""Reference expander: python-dateutil, same protocol as `upkeep expand --jsonl`.

Reads JSON lines {"dtstart": "YYYY-MM-DD", "rrule": "...", "limit": N} and
writes one line per input line: {"dates": [...]} (the first `limit`
occurrences) or {"error": "..."}.  DTSTART is a naive datetime at midnight.

dateutil only gives up on a rule that never matches when it passes year 9999,
which takes seconds for a DAILY rule.  We stop it after 400 * INTERVAL years
instead (see year_cap): the Gregorian calendar repeats every 400 years, so a
rule silent that long never matches again.  If that cap cuts a rule that did match but has not
run out (fewer than `limit` dates, not ended by COUNT or an earlier UNTIL),
the reference answer would be truncated, so we report an error for that line
rather than a wrong answer: such a rule does not belong in the corpus.

usage: dateutil_expand.py [CORPUS.jsonl [OUT.jsonl]]   (default stdin/stdout)
"""
import contextlib
import datetime
import json
import sys
import types

import dateutil.rrule
from dateutil.rrule import rrulestr

CAP_YEARS = 400


class _CappedDatetime(types.ModuleType):
    """The datetime module with a smaller MAXYEAR (dateutil reads it per period)."""

    def __init__(self, maxyear):
        super().__init__("datetime")
        self.MAXYEAR = maxyear

    def __getattr__(self, name):
        return getattr(datetime, name)


@contextlib.contextmanager
def year_cap(maxyear):
    saved = dateutil.rrule.datetime
    dateutil.rrule.datetime = _CappedDatetime(maxyear)
    try:
        yield
    finally:
        dateutil.rrule.datetime = saved


def expand(item):
    start = datetime.datetime.strptime(item["dtstart"], "%Y-%m-%d")
    limit = int(item["limit"])
    rule = rrulestr(item["rrule"], dtstart=start)
    cap_year = min(start.year + CAP_YEARS * rule._interval, datetime.MAXYEAR)
    dates = []
    with year_cap(cap_year):
        for occ in rule if limit > 0 else ():
            dates.append(occ.date().isoformat())
            if len(dates) >= limit:
                break
    ended_by_count = rule._count is not None and len(dates) == rule._count
    ended_by_until = rule._until is not None and rule._until.year < cap_year
    if dates and len(dates) < limit and not (ended_by_count or ended_by_until):
        raise ValueError(f"reference capped at year {cap_year} after {len(dates)} dates; "
                         "rule too sparse for the corpus")
    return {"dates": dates}


def main(argv):
    src = open(argv[1], encoding="utf-8") if len(argv) > 1 and argv[1] != "-" else sys.stdin
    dst = open(argv[2], "w", encoding="utf-8") if len(argv) > 2 else sys.stdout
    for line in src:
        if not line.strip():
            continue
        try:
            out = expand(json.loads(line))
        except Exception as e:  # one bad rule must not hide the others
            out = {"error": f"{type(e).__name__}: {e}"}
        dst.write(json.dumps(out) + "\n")
    dst.flush()


if __name__ == "__main__":
    main(sys.argv)
