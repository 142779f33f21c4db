// @ts-check
// Counts in words, as people write them: "1 day", "3 days", never "1 days" or "day(s)".

/** "day" for 1, "days" otherwise. @param {number} n @param {string} one @param {string} [many] one + "s" unless given */
export function wordFor(n, one, many = `${one}s`) {
  return n === 1 ? one : many;
}

/** "1 day", "3 days". @param {number} n @param {string} one @param {string} [many] one + "s" unless given */
export function countOf(n, one, many = `${one}s`) {
  return `${n} ${wordFor(n, one, many)}`;
}
