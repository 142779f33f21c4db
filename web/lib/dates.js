// @ts-check
// Calendar dates as ISO strings (YYYY-MM-DD), the form the core speaks. Only "today" comes from the
// user's clock; everything else is computed by the core.

/** The user's local date: what every write (Sync now, completing a task) uses. */
export function localToday() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-');
}

/**
 * The date a view is computed for: the local date, or `?upkeep_today=YYYY-MM-DD` when given (reproducible
 * views and tests). Never used for writes, so a crafted link cannot make anyone write as of another day.
 */
export function viewDate(location = globalThis.location) {
  const given = location ? new URLSearchParams(location.search).get('upkeep_today') : null;
  return given && /^\d{4}-\d{2}-\d{2}$/.test(given) ? given : localToday();
}

/** @param {string} iso @param {number} days */
export function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The UTC time `seconds` from now, as the core takes times: YYYY-MM-DDTHH:MM:SSZ. @param {number} seconds */
export function utcInstant(seconds) {
  return `${new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * How the reader's tracker writes dates (its user's date format and language): a pattern of %Y, %m, %d,
 * %e, %b, %B (and %%) with the month names, January first. No pattern: ISO, as the core's fields are.
 * @typedef {{ pattern: string, months: string[], short_months: string[] }} DateStyle
 */

/**
 * An ISO date (YYYY-MM-DD) in `style`, as the core writes dates in its sentences (core/src/dates.cpp,
 * format_date_as): the same directives, a month without a name written as its number. Anything that is
 * not an ISO date is returned as it is.
 * @param {string} iso @param {DateStyle | undefined} style
 */
export function formatDay(iso, style) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!parts || !style?.pattern) return iso;
  const [, year, month, day] = parts;
  const m = Number(month);
  const name = (/** @type {string[]} */ names) => names[m - 1] ?? String(m);
  /** @type {Record<string, string>} */
  const directives = { Y: year, m: month, d: day, e: String(Number(day)).padStart(2, ' '),
    B: name(style.months), b: name(style.short_months), '%': '%' };
  return style.pattern.replace(/%(.?)/g, (whole, c) => directives[c] ?? whole);
}
