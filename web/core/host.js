// @ts-check
// What a tracker ("host") gives the features: how to link and name a ticket ("#12", "ISMS-12") or a page,
// how it names people (`people`: owners as the configuration names them, to the names people know) and
// writes dates (`dates`, `day`: as the tracker shows them to its user), and the core's sessions run
// against it. Features receive a Host and never build a tracker's URL or read its raw tickets; each
// tracker implements it in its own folder (web/redmine/redmine-host.js).

/**
 * @typedef {import('./upkeep-core.js').Failure} Failure
 * @typedef {{ error: string }} RunError
 * @typedef {{ status: (request: { today: string, list_limit?: number, next_period_only?: boolean, timeline?: boolean, framework?: string,
 *     people?: Record<string, string>, dates?: import('../lib/dates.js').DateStyle }) =>
 *     import('./upkeep-core.js').StatusResult | RunError,
 *   exportFile: (request: import('./upkeep-core.js').ExportRequest) => { text: string, filename: string } | RunError,
 *   calendar: (window: import('./upkeep-core.js').CalendarWindow) => import('./upkeep-core.js').Calendar | RunError,
 *   configuration: { text: string, source: string, version: number | null, missing: boolean, warnings: import('./upkeep-core.js').Problem[] },
 *   requests: number, dispose: () => void }} StatusRead
 * @typedef {{
 *   name: string,
 *   project: string,
 *   markup: 'textile' | 'markdown',
 *   canEditWiki: boolean,
 *   keepsPages: boolean,
 *   canSync: boolean,
 *   calendarFeed: string,
 *   ticketUrl: (id: number) => string,
 *   ticketName: (id: number) => string,
 *   ticketUrlPrefix: string,
 *   people: Record<string, string>,
 *   personName: (owner: string) => string,
 *   dates: import('../lib/dates.js').DateStyle,
 *   day: (iso: string) => string,
 *   pageUrl: (title: string) => string,
 *   readStatus: (today: string, options?: { onStep?: (what: string) => void }) =>
 *     Promise<StatusRead | { failure: Failure, configuration?: StatusRead['configuration'] } | RunError>,
 *   sync: (options: { today: string, configText: string, apply: boolean,
 *     onProgress?: (label: string, progress: { done?: number, total?: number }) => void }) =>
 *     Promise<import('./upkeep-core.js').SyncResult | RunError>,
 *   changePrompt: (options: { change: number, today: string, answers?: Record<string, string>, basedOn?: number, apply?: boolean,
 *     supplier?: import('../features/change-supplier.js').SupplierChoice }) =>
 *     Promise<import('./upkeep-core.js').ChangeResult | RunError>,
 *   completeTask: (options: { issue: number, today: string, files?: File[], withoutEvidence?: boolean,
 *     complete?: { done_on: string, links: string[], note: string, people_in_scope?: number, people_completed?: number, valid_until?: string } }) =>
 *     Promise<import('./upkeep-core.js').CompletionResult | RunError>,
 *   saveConfiguration: (options: { configText: string, version: number | null, comment: string }) =>
 *     Promise<{ saved: boolean, failure: Failure | null } | RunError>,
 *   savePage: (options: { title: string, text: string, comment: string }) => Promise<{ saved: boolean, failure: Failure | null } | RunError>,
 *   attachToTicket: (options: { issue: number, filename: string, contentType: string, text: string, note: string }) =>
 *     Promise<{ attached: boolean, failure: Failure | null } | RunError>,
 * }} Host
 */

export {};
