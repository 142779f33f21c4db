#!/usr/bin/python3
"""Write the RRULE cross-check corpus: JSON lines {"dtstart", "rrule", "limit"}.

The corpus is the RFC 5545 section 3.8.5.3 examples (adapted to DATE values),
hand-picked edge cases (some never match: their answer is []), and a seeded
pseudo-random set of varied rules.  Every rule obeys the strict subset that
`upkeep expand` accepts (check_contract): FREQ is DAILY/WEEKLY/MONTHLY/YEARLY,
no BYHOUR/BYMINUTE/BYSECOND, never COUNT with UNTIL, BYDAY ordinals only in
MONTHLY/YEARLY and never with BYWEEKNO, no BYMONTHDAY in WEEKLY, BYYEARDAY and
BYWEEKNO only in YEARLY, BYSETPOS only next to another BYxxx part.
The output is deterministic for a given --seed and --count.

usage: make_corpus.py OUT.jsonl [--seed N] [--count N] [--stats]   (OUT '-' = stdout)
"""
import argparse
import datetime
import json
import random
import sys

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# (dtstart, rrule, limit): RFC 5545 3.8.5.3 examples with DATE values.
RFC_EXAMPLES = [
    ("1997-09-02", "FREQ=DAILY;COUNT=10", 50),                         # daily, 10 times
    ("1997-09-02", "FREQ=DAILY;UNTIL=19971224", 200),                  # daily until Dec 24
    ("1997-09-02", "FREQ=DAILY;INTERVAL=2", 40),                       # every other day
    ("1997-09-02", "FREQ=DAILY;INTERVAL=10;COUNT=5", 50),              # every 10 days, 5 times
    ("1998-01-01", "FREQ=YEARLY;UNTIL=20000131;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", 200),
    ("1998-01-01", "FREQ=DAILY;UNTIL=20000131;BYMONTH=1", 200),        # every day in January, 3 years
    ("1997-09-02", "FREQ=WEEKLY;COUNT=10", 50),                        # weekly, 10 times
    ("1997-09-02", "FREQ=WEEKLY;UNTIL=19971224", 50),
    ("1997-09-02", "FREQ=WEEKLY;INTERVAL=2;WKST=SU", 30),              # every other week
    ("1997-09-02", "FREQ=WEEKLY;UNTIL=19971007;WKST=SU;BYDAY=TU,TH", 50),  # Tue and Thu, 5 weeks
    ("1997-09-02", "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH", 50),
    ("1997-09-01", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224;WKST=SU;BYDAY=MO,WE,FR", 100),
    ("1997-09-02", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", 50),
    ("1997-09-05", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR", 50),             # monthly on the first Friday
    ("1997-09-05", "FREQ=MONTHLY;UNTIL=19971224;BYDAY=1FR", 50),
    ("1997-09-07", "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", 50),  # every other month, first and last Sunday
    ("1997-09-22", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", 50),             # second-to-last Monday
    ("1997-09-28", "FREQ=MONTHLY;BYMONTHDAY=-3", 30),                  # third-to-last day of the month
    ("1997-09-02", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", 50),       # 2nd and 15th
    ("1997-09-30", "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", 50),       # first and last day
    ("1997-09-10", "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", 50),
    ("1997-09-02", "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", 40),            # every Tuesday, every other month
    ("1997-06-10", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7", 50),            # yearly in June and July
    ("1997-03-10", "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", 50),
    ("1997-01-01", "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", 50),
    ("1997-05-19", "FREQ=YEARLY;BYDAY=20MO", 20),                      # every 20th Monday of the year
    ("1997-05-12", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", 20),            # Monday of week 20
    ("1997-03-13", "FREQ=YEARLY;BYMONTH=3;BYDAY=TH", 30),              # every Thursday in March
    ("1997-06-05", "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", 40),          # Thursdays in Jun-Aug
    ("1997-09-02", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", 10),         # Friday the 13th
    ("1997-09-13", "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", 20),  # first Saturday after first Sunday
    ("1996-11-05", "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", 10),  # US election day
    ("1997-09-04", "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", 50),  # third instance of TU/WE/TH
    ("1997-09-29", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", 30),   # second-to-last weekday
    ("1997-08-05", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", 50),  # WKST matters:
    ("1997-08-05", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", 50),  # ... different dates
    ("2007-01-15", "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5", 50),       # invalid dates are skipped
]

# Hand-picked edge cases, including rules that never match (expected: []).
EDGE_CASES = [
    ("2000-01-01", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", 10),  # never matches
    ("2000-01-01", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", 3),           # never matches
    ("2001-03-01", "FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31", 5),   # never matches
    ("2010-05-05", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-30", 4),          # never matches
    ("2012-07-01", "FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1", 2),           # never matches
    ("2020-01-01", "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", 2),              # never matches
    ("2001-01-01", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", 3),            # never matches (slow to prove)
    ("2024-02-29", "FREQ=YEARLY", 5),                                   # Feb 29: leap years only
    ("1900-01-01", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", 5),           # 1900 is not a leap year
    ("2099-01-31", "FREQ=MONTHLY", 12),                                 # 31st: 7 months a year
    ("2099-12-31", "FREQ=MONTHLY;BYMONTHDAY=-31", 8),
    ("2000-01-30", "FREQ=MONTHLY;BYMONTHDAY=29,30,31", 20),
    ("1998-12-28", "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", 5),              # ISO years with 53 weeks
    ("2015-01-01", "FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;WKST=SU", 8),
    ("2015-01-01", "FREQ=YEARLY;BYWEEKNO=53", 8),
    ("2015-01-01", "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=TH", 10),
    ("2000-01-01", "FREQ=YEARLY;BYYEARDAY=-1,-366", 10),
    ("2000-01-01", "FREQ=YEARLY;BYYEARDAY=60", 10),
    ("2000-01-01", "FREQ=YEARLY;BYDAY=-1FR", 10),
    ("2000-01-01", "FREQ=YEARLY;BYDAY=53FR,-53FR", 10),
    ("2000-01-01", "FREQ=YEARLY;BYMONTH=2;BYDAY=5MO", 3),               # rare: a fifth Monday in February
    ("2026-11-22", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1", 24),
    ("2026-11-22", "FREQ=YEARLY;BYMONTH=12;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", 5),
    ("2026-11-22", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO", 20),
    ("2026-11-22", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", 20),
    ("2026-11-22", "FREQ=WEEKLY;UNTIL=20261121", 5),                    # UNTIL before DTSTART
    ("2026-11-22", "FREQ=DAILY;UNTIL=20261122", 5),                     # UNTIL on DTSTART
    ("2026-11-22", "FREQ=DAILY;COUNT=1", 5),
    ("2026-11-22", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31;COUNT=6", 10),
    # Ordinal and plain weekdays mixed: dateutil (and rrule.js) keep the days
    # that match both lists, Upkeep the union RFC 5545 means (crosscheck.py
    # checks these against the union of dateutil's expansions of each half).
    ("2026-11-22", "FREQ=MONTHLY;BYDAY=1FR,FR", 6),
    ("2026-01-01", "FREQ=YEARLY;BYDAY=-1MO,MO,TU", 4),
    ("2026-11-22", "FREQ=MONTHLY;BYDAY=2FR,TH", 3),                     # dateutil: never; RFC: Thursdays + 2nd Friday
    # BYSETPOS beyond the set of a period: that period gives nothing.
    ("2026-01-01", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-5", 6),
    ("2026-01-01", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5", 6),
    ("2026-01-01", "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1,9,3", 8),
    ("2026-01-01", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-4", 5),         # never matches
    # dateutil starts the first WEEKLY period at DTSTART, not at WKST, so
    # BYSETPOS counts from DTSTART in that first week: 11-25, 11-30, 12-07.
    ("2026-11-25", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1", 4),
    ("2026-11-25", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-3", 4),
    # Two positions naming the same day give one occurrence.
    ("2026-01-01", "FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=1,-2", 8),
    # BYSETPOS over the whole year's set: the last of the January and July last Mondays.
    ("2026-01-01", "FREQ=YEARLY;BYMONTH=1,7;BYDAY=-1MO;BYSETPOS=-1", 4),
]


FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]


def fmt_until(d):
    return d.strftime("%Y%m%d")


def signed(rng, lo, hi, neg_share=0.35):
    v = rng.randint(lo, hi)
    return -v if rng.random() < neg_share else v


def join(values):
    return ",".join(str(v) for v in values)


def random_dtstart(rng):
    r = rng.random()
    if r < 0.08:
        year = rng.randint(1900, 1904)   # 1900 is not a leap year
    elif r < 0.16:
        year = rng.randint(2096, 2104)   # 2100 is not a leap year
    else:
        year = rng.randint(1990, 2040)
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))


# Each helper returns (value text, expected matching days) so that the
# generator can estimate how dense a rule is and pick limits, UNTIL and
# BYSETPOS values that keep most rules matching within a few decades.

def g_months(rng, hi=4):
    months = sorted(rng.sample(range(1, 13), rng.randint(1, hi)))
    return join(months), len(months) / 12


def g_weekdays(rng, hi=4):
    days = rng.sample(DAYS, rng.randint(1, hi))
    return ",".join(days), len(days) / 7


def g_monthdays(rng):
    vals = set()
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.3:
            vals.add(rng.choice([29, 30, 31, -31, -30, -29]))
        else:
            vals.add(signed(rng, 1, 28))
    # days per month, on average: the 31st exists in 7 months of 12, and so on
    days = sum({29: 0.94, 30: 0.92, 31: 0.58}.get(abs(v), 1.0) for v in vals)
    return join(sorted(vals)), days


def g_ordinals(rng, max_n):
    """BYDAY with ordinals (nth weekday of the month or year).

    Ordinals are not mixed with plain weekdays here: dateutil then keeps only
    the days matching both, Upkeep the union; EDGE_CASES has those rules."""
    out, days = set(), 0.0
    for _ in range(rng.randint(1, 3)):
        n = signed(rng, 1, max_n, 0.4)
        item = f"{n}{rng.choice(DAYS)}"
        if item not in out:
            out.add(item)
            days += 0.3 if abs(n) in (5, 53) else 1.0   # 5th / 53rd exist only sometimes
    return ",".join(sorted(out)), days


def g_setpos(rng, ndays):
    """1 or 2 BYSETPOS values, mostly within the expected size of the set."""
    hi = max(1, min(int(ndays), 60))
    if rng.random() < 0.15:
        hi += 2   # sometimes beyond the set of some periods
    return join(sorted({signed(rng, 1, hi, 0.5) for _ in range(rng.randint(1, 2))}))


def random_rule(rng, dtstart):
    """Random rule parts (FREQ first) and a rough number of occurrences per year."""
    freq = rng.choices(FREQS, [2, 3, 4, 5])[0]
    parts = {}
    if freq == "DAILY":
        share = 1.0
        if rng.random() < 0.35:
            parts["BYMONTH"], f = g_months(rng)
            share *= f
        if rng.random() < 0.35:
            parts["BYMONTHDAY"], d = g_monthdays(rng)
            share *= d / 30.44
        if rng.random() < 0.4:
            parts["BYDAY"], f = g_weekdays(rng)
            share *= f
        if parts and rng.random() < 0.1:
            parts["BYSETPOS"] = rng.choice(["1", "-1", "-1,1"])  # a DAILY period has one day
        interval = rng.choice([2, 3, 4, 5, 10])          # prime to 7, so BYDAY still matches
    elif freq == "WEEKLY":
        ndays = 1
        if rng.random() < 0.7:
            parts["BYDAY"], f = g_weekdays(rng)
            ndays = round(f * 7)
        share = ndays / 7
        if rng.random() < 0.2:
            parts["BYMONTH"], f = g_months(rng, 6)
            share *= f
        if rng.random() < 0.5:
            parts["WKST"] = rng.choice(DAYS)
        if "BYDAY" in parts and ndays >= 2 and rng.random() < 0.25:
            parts["BYSETPOS"] = g_setpos(rng, ndays)
            share = min(share, len(parts["BYSETPOS"].split(",")) / 7)
        interval = rng.choice([2, 2, 3, 4])
    elif freq == "MONTHLY":
        kind = rng.choices(["nth", "weekday", "monthday", "none"], [35, 15, 35, 15])[0]
        if kind == "nth":
            parts["BYDAY"], days = g_ordinals(rng, 5)
        elif kind == "weekday":
            parts["BYDAY"], f = g_weekdays(rng)
            days = f * 30.44
            if rng.random() < 0.4:               # e.g. Friday the 13th
                parts["BYMONTHDAY"], d = g_monthdays(rng)
                days *= d / 30.44
        elif kind == "monthday":
            parts["BYMONTHDAY"], days = g_monthdays(rng)
        else:                                     # implied BYMONTHDAY = day of DTSTART
            days = 0.58 if dtstart.day == 31 else 0.93 if dtstart.day > 28 else 1.0
        share = days / 30.44
        if rng.random() < 0.2:
            parts["BYMONTH"], f = g_months(rng, 6)
            share *= f
        if parts and days >= 2 and rng.random() < 0.25:
            parts["BYSETPOS"] = g_setpos(rng, days)
            share = min(share, len(parts["BYSETPOS"].split(",")) / 30.44)
        if rng.random() < 0.1:
            parts["WKST"] = rng.choice(DAYS)
        # with BYMONTH an interval could skip every listed month for ever
        interval = 1 if "BYMONTH" in parts else rng.choice([2, 3, 4, 6, 12, 18])
    else:
        kind = rng.choice(["month", "weekno", "yearday", "nth", "monthday", "none"])
        if kind == "month":
            parts["BYMONTH"], f = g_months(rng)
            sub = rng.random()
            if sub < 0.4:
                parts["BYDAY"], g = g_weekdays(rng)
                days = f * 365.25 * g
            elif sub < 0.6:
                parts["BYDAY"], d = g_ordinals(rng, 5)
                days = f * 12 * d
            elif sub < 0.85:
                parts["BYMONTHDAY"], d = g_monthdays(rng)
                days = f * 12 * d
            else:                                 # implied BYMONTHDAY = day of DTSTART
                days = f * 12 * (0.6 if dtstart.day > 28 else 1.0)
        elif kind == "weekno":
            weeks = {signed(rng, 1, 52, 0.35) for _ in range(rng.randint(1, 3))}
            if rng.random() < 0.3:
                weeks.add(rng.choice([53, -53, 1, -1]))
            parts["BYWEEKNO"] = join(sorted(weeks))
            nweeks = sum(0.2 if abs(w) == 53 else 1.0 for w in weeks)
            if rng.random() < 0.7:
                parts["BYDAY"], g = g_weekdays(rng)
                days = nweeks * 7 * g
            else:                                 # implied BYDAY = weekday of DTSTART
                days = nweeks
            parts["WKST"] = rng.choice(DAYS)
        elif kind == "yearday":
            ydays = {signed(rng, 1, 366, 0.4) for _ in range(rng.randint(1, 4))}
            if rng.random() < 0.15:
                ydays.add(rng.choice([366, -366]))
            parts["BYYEARDAY"] = join(sorted(ydays))
            days = sum(0.25 if abs(v) == 366 else 1.0 for v in ydays)
            if rng.random() < 0.3:
                parts["BYDAY"], g = g_weekdays(rng, 5)
                days *= g
        elif kind == "nth":
            parts["BYDAY"], days = g_ordinals(rng, 53)
        elif kind == "monthday":
            parts["BYMONTHDAY"], d = g_monthdays(rng)
            days = 12 * d
            if rng.random() < 0.3:
                parts["BYDAY"], g = g_weekdays(rng)
                days *= g
        else:
            days = 1.0
        share = days / 365.25
        if parts and days >= 2 and rng.random() < 0.25:
            parts["BYSETPOS"] = g_setpos(rng, days)
            share = min(share, len(parts["BYSETPOS"].split(",")) / 365.25)
        if "WKST" not in parts and rng.random() < 0.15:
            parts["WKST"] = rng.choice(DAYS)
        interval = rng.choice([2, 3, 4, 5, 10])
    if rng.random() > 0.4:
        interval = 1
    if interval > 1:
        parts["INTERVAL"] = str(interval)
    per_year = share * 365.25 / interval
    return [f"FREQ={freq}"] + [f"{k}={v}" for k, v in parts.items()], per_year


def make_random(rng, n):
    out = []
    for _ in range(n):
        dtstart = random_dtstart(rng)
        parts, per_year = random_rule(rng, dtstart)
        # Ask for at most ~60 years of occurrences, and stay before 2200.
        years = min(60, 2195 - dtstart.year)
        max_limit = max(1, min(40, int(per_year * years)))
        end = rng.random()
        if end < 0.3:
            parts.append(f"COUNT={rng.randint(1, max_limit + 5)}")
        elif end < 0.55:
            span_years = rng.uniform(0.1, 1.0) * min(years, 40 / max(per_year, 0.01))
            until = dtstart + datetime.timedelta(days=int(span_years * 365.25) - rng.choice([0, 0, 0, 40]))
            parts.append(f"UNTIL={fmt_until(until)}")
        head, rest = parts[0], parts[1:]
        rng.shuffle(rest)  # the order of rule parts must not matter
        out.append((dtstart.isoformat(), ";".join([head] + rest), rng.randint(1, max_limit)))
    return out


def check_contract(rule):
    """Raise if `rule` is outside the strict subset `upkeep expand` accepts."""
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    freq = parts["FREQ"]
    ordinals = any(d[:-2] for d in parts.get("BYDAY", "").split(",") if d)
    problems = [
        freq not in FREQS and "FREQ",
        any(k in parts for k in ("BYHOUR", "BYMINUTE", "BYSECOND")) and "time parts",
        "COUNT" in parts and "UNTIL" in parts and "COUNT with UNTIL",
        ordinals and freq not in ("MONTHLY", "YEARLY") and "BYDAY ordinal",
        ordinals and "BYWEEKNO" in parts and "BYDAY ordinal with BYWEEKNO",
        freq == "WEEKLY" and "BYMONTHDAY" in parts and "BYMONTHDAY in WEEKLY",
        freq != "YEARLY" and ("BYYEARDAY" in parts or "BYWEEKNO" in parts) and "BYYEARDAY/BYWEEKNO",
        "BYSETPOS" in parts and not any(k.startswith("BY") and k != "BYSETPOS" for k in parts) and "BYSETPOS",
    ]
    bad = [p for p in problems if p]
    if bad:
        raise ValueError(f"{rule}: outside the contract ({', '.join(bad)})")


def coverage(rows):
    """Counts of the rule features the corpus exercises (for --stats)."""
    feats = {}
    for _, rule, _ in rows:
        parts = dict(p.split("=", 1) for p in rule.split(";"))
        keys = [parts["FREQ"]] + [k for k in parts if k != "FREQ"]
        for k, v in parts.items():
            vals = v.split(",")
            if k in ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS") and any(x.startswith("-") for x in vals):
                keys.append(k + "<0")
            if k == "BYDAY":
                if any(x[:-2].startswith("-") for x in vals):
                    keys.append("BYDAY -nth")
                if any(x[:-2] and not x.startswith("-") for x in vals):
                    keys.append("BYDAY +nth")
                if any(not x[:-2] for x in vals):
                    keys.append("BYDAY plain")
            if k == "BYMONTHDAY" and any(abs(int(x)) >= 29 for x in vals):
                keys.append("BYMONTHDAY 29..31")
            if k == "BYWEEKNO" and any(abs(int(x)) == 53 for x in vals):
                keys.append("BYWEEKNO +-53")
        for k in keys:
            feats[k] = feats.get(k, 0) + 1
    return dict(sorted(feats.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="output JSONL path, or - for stdout")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--count", type=int, default=640, help="number of random rules")
    ap.add_argument("--stats", action="store_true", help="print feature counts to stderr")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = RFC_EXAMPLES + EDGE_CASES + make_random(rng, args.count)
    for _, rule, _ in rows:
        check_contract(rule)
    if args.stats:
        print(json.dumps({"rules": len(rows), **coverage(rows)}, indent=1), file=sys.stderr)
    text = "".join(json.dumps({"dtstart": d, "rrule": r, "limit": n}) + "\n" for d, r, n in rows)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
