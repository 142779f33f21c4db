// @ts-check
// Every piece of Redmine's pages that Upkeep reads, with the page it is expected on. A Redmine upgrade
// that moves one of them fails the selector test (tests/browser) instead of silently breaking a feature.

export const selectors = {
  /** The ISMS tab's container, rendered by the plugin's view (/projects/:id/isms). */
  ismsRoot: { page: 'ISMS tab', css: '#upkeep-isms' },
  /** The tab's heading (the plugin's view), which the script completes with the organisation's name. */
  ismsHeading: { page: 'ISMS tab', css: '#content h2.upkeep-title' },
  /** Redmine's own CSRF token (every page of its layout): the page scripts send it to the plugin's REST relay. */
  csrfToken: { page: 'ISMS tab', css: 'meta[name="csrf-token"]' },
  /** Meta tags the plugin renders for the page script (ISMS tab). */
  project: { page: 'ISMS tab', css: 'meta[name="upkeep-project"]' },
  baseUrl: { page: 'ISMS tab', css: 'meta[name="upkeep-base-url"]' },
  version: { page: 'ISMS tab', css: 'meta[name="upkeep-version"]' },
  textFormatting: { page: 'ISMS tab', css: 'meta[name="upkeep-text-formatting"]' },
  canEdit: { page: 'ISMS tab', css: 'meta[name="upkeep-can-edit"]' },
  canSync: { page: 'ISMS tab', css: 'meta[name="upkeep-can-sync"]' },
  calendarFeed: { page: 'ISMS tab', css: 'meta[name="upkeep-calendar-feed"]' },
  /** The project's members as people know them: `{"itops": "Ivan Ops", "group:Security team": "Security team"}`. */
  people: { page: 'ISMS tab', css: 'meta[name="upkeep-people"]' },
  /** How Redmine writes dates for this user: `{"pattern": "%d.%m.%Y", "months": [...], "short_months": [...]}`. */
  dateFormat: { page: 'ISMS tab', css: 'meta[name="upkeep-date-format"]' },
  /** Upkeep's panel on a control task (rendered by the plugin's issue hook). */
  evidencePanel: { page: 'control task', css: '#upkeep-evidence[data-issue-id]' },
  /** Upkeep's change prompt on other tickets (the plugin's issue hook); the script hides it off change trackers. */
  changePanel: { page: 'change ticket', css: '#upkeep-change[data-issue-id]' },
  /** Redmine's box with the issue's attributes and description: the unassessed-change banner goes above it. */
  issueBox: { page: 'change ticket', css: '#content div.issue' },
  /** Redmine's own project menu entry for the tab (every project page). */
  ismsMenuItem: { page: 'project overview', css: '#main-menu a.upkeep-isms' },
};

/**
 * The page context the plugin renders into meta tags.
 * @param {Document} doc
 */
export function readPageContext(doc) {
  const meta = (/** @type {{ css: string }} */ s) => doc.querySelector(s.css)?.getAttribute('content') ?? '';
  return {
    csrfToken: meta(selectors.csrfToken),
    project: meta(selectors.project),
    baseUrl: meta(selectors.baseUrl),
    version: meta(selectors.version), // of the plugin: the core's, checked by the tests
    markup: /** @type {'textile' | 'markdown'} */ (meta(selectors.textFormatting) === 'textile' ? 'textile' : 'markdown'),
    canEdit: meta(selectors.canEdit) === 'true',
    canSync: meta(selectors.canSync) === 'true',
    calendarFeed: meta(selectors.calendarFeed), // this member's subscription address ("" elsewhere)
    people: readPeople(meta(selectors.people)),
    dates: readDateStyle(meta(selectors.dateFormat)),
  };
}

/** @param {string} text @returns {import('../lib/dates.js').DateStyle} */
function readDateStyle(text) {
  const names = (/** @type {unknown} */ list) => (Array.isArray(list) ? list.map((n) => (typeof n === 'string' ? n : '')) : []);
  try {
    const style = JSON.parse(text || '{}');
    return { pattern: typeof style?.pattern === 'string' ? style.pattern : '', months: names(style?.months),
      short_months: names(style?.short_months) };
  } catch {
    return { pattern: '', months: [], short_months: [] };
  }
}

/** @param {string} text @returns {Record<string, string>} */
function readPeople(text) {
  try {
    const people = JSON.parse(text || '{}');
    return people && typeof people === 'object' && !Array.isArray(people)
      ? Object.fromEntries(Object.entries(people).filter(([, name]) => typeof name === 'string')) : {};
  } catch {
    return {};
  }
}
