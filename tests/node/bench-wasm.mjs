// The wasm core against rrule.js in the same node process, on the same corpus: every wasm call goes
// through the browser facade (JSON in, JSON out, the rule parsed each time), as the ISMS tab calls it.
// Prints one JSON line {"rules", "wasm": {...}, "rrulejs": {...}, "ratio_wasm_over_rrulejs"}.
// usage: node bench-wasm.mjs CORPUS.jsonl [--min-seconds S]   (default 2)
import { expandDates, parseDate } from './rrulejs-expand.mjs';
import { loadCorpus, minSecondsArg, rrulejsPass, timePasses } from './bench-lib.mjs';
import { loadWasmCore } from './load-wasm-core.mjs';

const [corpusPath, ...rest] = process.argv.slice(2);
if (!corpusPath) {
  console.error('usage: node bench-wasm.mjs CORPUS.jsonl [--min-seconds S]');
  process.exit(2);
}
const corpus = loadCorpus(corpusPath);
const minSeconds = minSecondsArg(rest);
const core = await loadWasmCore();
const wasm = timePasses(() => {
  let occurrences = 0;
  for (const request of corpus) occurrences += core.expand(request).dates?.length ?? 0;
  return occurrences;
}, minSeconds);
const rrulejs = timePasses(rrulejsPass(corpus, expandDates, parseDate), minSeconds);
console.log(JSON.stringify({ rules: corpus.length, wasm: { rules: corpus.length, ...wasm },
  rrulejs: { rules: corpus.length, ...rrulejs },
  ratio_wasm_over_rrulejs: Math.round((wasm.occurrences_per_second / rrulejs.occurrences_per_second) * 100) / 100 }));
