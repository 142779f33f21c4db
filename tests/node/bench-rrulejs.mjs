// rrule.js side of the expansion benchmark (tests/crosscheck/bench.sh runs
// both sides): expands every corpus rule to its limit, as
// upkeep-bench-expand does, and prints one JSON line in the same shape:
// {"rules", "occurrences", "seconds", "occurrences_per_second", "repeat"}.
//
// Like the native bench, every pass parses each rule from its text again:
// expandDates() builds a new RRule from RRule.parseString(rule) each time.
// DTSTART is parsed once up front (the native bench does so when loading).
// Rules that never match stop after 400 * INTERVAL years of periods, the
// same horizon as the native expander (see rrulejs-expand.mjs).
//
// usage: node bench-rrulejs.mjs CORPUS.jsonl [--min-seconds S]   (default 2)
import fs from 'node:fs';
import { expandDates, parseDate } from './rrulejs-expand.mjs';

const [corpusPath, ...rest] = process.argv.slice(2);
if (!corpusPath) {
  console.error('usage: node bench-rrulejs.mjs CORPUS.jsonl [--min-seconds S]');
  process.exit(2);
}
const minSeconds = rest[0] === '--min-seconds' ? Number(rest[1]) : 2;

const corpus = fs.readFileSync(corpusPath, 'utf8').split('\n').filter((l) => l.trim()).map((line) => {
  const { dtstart, rrule, limit } = JSON.parse(line);
  return { dtstart: parseDate(dtstart), rrule, limit: limit ?? 100 };
});

function pass() {
  let occurrences = 0;
  for (const { dtstart, rrule, limit } of corpus) {
    try {
      occurrences += expandDates(dtstart, rrule, limit).length;
    } catch {
      // a rule rrule.js rejects counts nothing, as the native bench skips rules it rejects
    }
  }
  return occurrences;
}

pass(); // warm-up: let the JIT compile the hot paths
let repeat = 0;
let occurrences = 0;
const start = process.hrtime.bigint();
let seconds = 0;
while (seconds < minSeconds) {
  occurrences += pass();
  repeat += 1;
  seconds = Number(process.hrtime.bigint() - start) / 1e9;
}
console.log(JSON.stringify({
  rules: corpus.length, occurrences, seconds, occurrences_per_second: occurrences / seconds, repeat,
}));
