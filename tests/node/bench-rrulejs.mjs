// rrule.js side of the expansion benchmark (tests/crosscheck/bench.sh runs every side): expands every
// corpus rule to its limit, building each RRule from its text on every pass, and prints one JSON line
// {"rules", "occurrences", "seconds", "occurrences_per_second", "repeat"}. Rules that never match stop
// after 400 * INTERVAL years of periods, the native expander's horizon (see rrulejs-expand.mjs).
// usage: node bench-rrulejs.mjs CORPUS.jsonl [--min-seconds S]   (default 2)
import { expandDates, parseDate } from './rrulejs-expand.mjs';
import { loadCorpus, minSecondsArg, rrulejsPass, timePasses } from './bench-lib.mjs';

const [corpusPath, ...rest] = process.argv.slice(2);
if (!corpusPath) {
  console.error('usage: node bench-rrulejs.mjs CORPUS.jsonl [--min-seconds S]');
  process.exit(2);
}
const corpus = loadCorpus(corpusPath);
const result = timePasses(rrulejsPass(corpus, expandDates, parseDate), minSecondsArg(rest));
console.log(JSON.stringify({ rules: corpus.length, ...result }));
