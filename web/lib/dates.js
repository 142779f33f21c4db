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
