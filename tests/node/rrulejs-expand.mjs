// Second reference expander: npm rrule (rrule.js 2.8.x), same protocol as
// `upkeep expand --jsonl`: JSON lines {"dtstart", "rrule", "limit"} in,
// one {"dates": [...]} or {"error": "..."} line out per input line.
//
// rrule.js works on JS Dates that it treats as floating UTC times: DTSTART is
// built with its datetime(y, m, d) helper (UTC midnight) and dates are read
// back with the UTC getters, so the local time zone never matters.
//
// Like dateutil, rrule.js only gives up on a rule that never matches at year
// 9999 (about 10 s for a DAILY rule).  capIteration() stops it after the
// periods of 400 * INTERVAL years instead (the Gregorian calendar repeats
// every 400 years, so a rule silent that long never matches again); a rule
// cut there after some matches is reported as an error, exactly as
// tests/crosscheck/dateutil_expand.py does.
//
// usage: node rrulejs-expand.mjs [CORPUS.jsonl] > OUT.jsonl   (default stdin)
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import rrulePkg from 'rrule';

const { RRule, datetime } = rrulePkg;

const CAP_YEARS = 400;
const SHORTEST_PERIOD_DAYS = {
  [RRule.YEARLY]: 365, [RRule.MONTHLY]: 28, [RRule.WEEKLY]: 7, [RRule.DAILY]: 1,
};

class CapReached extends Error {}

// rrule.js's iteration loop (src/iter/index.ts) reads options.interval twice
// per period: in its "interval === 0" check and when stepping to the next
// period.  Counting those reads counts periods without touching the dates.
function capIteration(rule) {
  const opts = rule.options;
  const periods = Math.ceil((CAP_YEARS * 366) / SHORTEST_PERIOD_DAYS[opts.freq]);
  let reads = 0;
  rule.options = new Proxy(opts, {
    get(target, key, receiver) {
      if (key === 'interval' && ++reads > 2 * periods + 2) throw new CapReached();
      return Reflect.get(target, key, receiver);
    },
  });
  return opts;
}

export function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

export function parseDate(text) {
  const [y, m, d] = text.split('-').map(Number);
  return datetime(y, m, d);
}

/** The first `limit` occurrences (UTC-midnight Dates) of rule text `rrule` from Date `dtstart`. */
export function expandDates(dtstart, rrule, limit) {
  const rule = new RRule({ ...RRule.parseString(rrule), dtstart }, true);
  const opts = capIteration(rule);
  const dates = [];
  try {
    // Bounded: the callback stops the iteration once `limit` dates are kept.
    rule.all((d, i) => {
      if (i >= limit) return false;
      dates.push(d);
      return dates.length < limit;
    });
  } catch (e) {
    if (!(e instanceof CapReached)) throw e;
    const { until, interval } = opts; // not rule.options: its interval now throws
    const capYear = dtstart.getUTCFullYear() + CAP_YEARS * interval;
    if (dates.length > 0 && !(until && until.getUTCFullYear() < capYear)) {
      throw new Error(`reference capped after ${CAP_YEARS * interval} years and ${dates.length} dates; `
        + 'rule too sparse for the corpus');
    }
  }
  return dates;
}

export function expandOne({ dtstart, rrule, limit }) {
  return { dates: expandDates(parseDate(dtstart), rrule, limit).map(isoDate) };
}

export function expandLines(text) {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    try {
      return expandOne(JSON.parse(line));
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const src = process.argv[2] && process.argv[2] !== '-' ? process.argv[2] : 0;
  const out = expandLines(fs.readFileSync(src, 'utf8'));
  process.stdout.write(out.map((o) => JSON.stringify(o)).join('\n') + (out.length ? '\n' : ''));
}
