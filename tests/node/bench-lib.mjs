// Shared by the benchmark scripts: the corpus (JSON lines {"dtstart", "rrule", "limit"}) and a timer
// that warms up, then repeats whole passes until at least `minSeconds` have elapsed.
import fs from 'node:fs';

export function loadCorpus(path) {
  return fs.readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((line) => {
    const { dtstart, rrule, limit } = JSON.parse(line);
    return { dtstart, rrule, limit: limit ?? 100 };
  });
}

/** @param {() => number} pass returns the occurrences of one pass @param {number} minSeconds */
export function timePasses(pass, minSeconds) {
  pass(); // warm-up: let the JIT compile the hot paths
  let repeat = 0;
  let occurrences = 0;
  let seconds = 0;
  const start = process.hrtime.bigint();
  while (seconds < minSeconds) {
    occurrences += pass();
    repeat += 1;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { occurrences, seconds, occurrences_per_second: occurrences / seconds, repeat };
}

export function minSecondsArg(rest) {
  return rest[0] === '--min-seconds' ? Number(rest[1]) : 2;
}

/** rrule.js over the corpus; every pass builds each RRule from its text again, as the cores parse. */
export function rrulejsPass(corpus, expandDates, parseDate) {
  const parsed = corpus.map((r) => ({ ...r, start: parseDate(r.dtstart) })); // DTSTART parsed once, like the native bench
  return () => {
    let occurrences = 0;
    for (const { start, rrule, limit } of parsed) {
      try {
        occurrences += expandDates(start, rrule, limit).length;
      } catch {
        // a rule rrule.js rejects counts nothing, as the cores skip rules they reject
      }
    }
    return occurrences;
  };
}
