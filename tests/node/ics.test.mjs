// Checks `upkeep calendar --format ics` with an independent parser (ical.js):
// CRLF line ends, 75-octet folding, a VCALENDAR ical.js can read, UID and
// DTSTAMP on every VEVENT, each activity's RRULE/EXDATE/RDATE expanding (by
// ical.js) to exactly the dates `--format json` lists, audit dates equal, and
// TEXT escaping that gives back the original strings.
//
// Needs the native CLI: UPKEEP_BIN (default build/native/cli/upkeep).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.resolve(process.env.UPKEEP_BIN || path.join(REPO, 'build/native/cli/upkeep'));
const TODAY = '2026-11-22';
const FROM = '2026-11-22';
const TO = '2029-11-22';
const TRICKY = "Zoë's review; scope, \\ part\nline2";
const LONG = 'é'.repeat(200);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'upkeep-ics-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

function upkeep(...args) {
  return execFileSync(BIN, args, { maxBuffer: 64 << 20 }); // a Buffer: octets matter here
}

function writeConfig(name, edit) {
  const config = JSON.parse(upkeep('init', '--today', TODAY).toString('utf8'));
  edit?.(config);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, config };
}

function calendarJson(file) {
  const out = upkeep('calendar', file, '--today', TODAY, '--from', FROM, '--to', TO, '--format', 'json');
  return JSON.parse(out.toString('utf8'));
}

function calendarIcs(file) {
  return upkeep('calendar', file, '--today', TODAY, '--format', 'ics');
}

function events(icsBuffer) {
  const root = new ICAL.Component(ICAL.parse(icsBuffer.toString('utf8')));
  return { root, vevents: root.getAllSubcomponents('vevent') };
}

const dateOf = (t) => `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

// Physical lines as raw octets (without CRLF); the last element is what follows the final CRLF.
function physicalLines(buf) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < buf.length - 1; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a) {
      lines.push(buf.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  lines.push(buf.subarray(start));
  return lines;
}

function assertWellFormedLines(buf) {
  const lines = physicalLines(buf);
  assert.equal(lines.at(-1).length, 0, 'the text must end with CRLF');
  const strict = new TextDecoder('utf-8', { fatal: true });
  lines.slice(0, -1).forEach((line, n) => {
    assert.ok(!line.includes(0x0a) && !line.includes(0x0d), `line ${n + 1} has a bare CR or LF`);
    assert.ok(line.length <= 75, `line ${n + 1} is ${line.length} octets: ${line.toString('utf8')}`);
    // RFC 5545 3.1: folding must not split a multi-octet UTF-8 sequence.
    assert.doesNotThrow(() => strict.decode(line), `line ${n + 1} is not valid UTF-8 on its own`);
  });
}

// Memoised so the CLI runs once for all tests; an error (say, no binary) fails each test.
let cached;
function fixture() {
  cached ??= (() => {
    const { file, config } = writeConfig('init.json');
    return { config, json: calendarJson(file), ics: calendarIcs(file) };
  })();
  return cached;
}

test('every iCalendar line ends with CRLF, is at most 75 octets and valid UTF-8', () => {
  assertWellFormedLines(fixture().ics);
});

test('ical.js parses a VCALENDAR with VERSION:2.0 and PRODID', () => {
  const { root, vevents } = events(fixture().ics);
  assert.equal(root.name, 'vcalendar');
  assert.equal(root.getFirstPropertyValue('version'), '2.0');
  assert.ok(String(root.getFirstPropertyValue('prodid') ?? '').length > 0, 'PRODID missing');
  assert.ok(vevents.length > 0, 'no VEVENT');
});

test('every VEVENT has a DTSTAMP and a UID, and the UIDs are distinct', () => {
  const { vevents } = events(fixture().ics);
  const uids = vevents.map((v) => v.getFirstPropertyValue('uid'));
  for (const [n, v] of vevents.entries()) {
    assert.ok(uids[n], `VEVENT #${n} has no UID`);
    assert.ok(v.getFirstPropertyValue('dtstamp'), `VEVENT ${uids[n]} has no DTSTAMP`);
  }
  assert.equal(new Set(uids).size, uids.length, 'UIDs repeat');
});

test('calendar JSON is sorted by date and inside the window', () => {
  const { json } = fixture();
  assert.equal(json.from, FROM);
  assert.equal(json.to, TO);
  const dates = json.entries.map((e) => e.date);
  assert.deepEqual(dates, [...dates].sort(), 'entries are not sorted by date');
  assert.ok(dates.every((d) => d >= FROM && d <= TO), 'an entry lies outside from..to');
  assert.ok(json.entries.some((e) => e.kind === 'activity'), 'no activity in three years');
});

// Every configured activity has one VEVENT, whose DTSTART is its first occurrence and whose
// recurrence (RRULE, EXDATE, RDATE), expanded by ical.js over the window, gives exactly the
// dates that the JSON calendar lists for that activity.
function assertActivitiesMatch(config, json, ics) {
  const activityEvents = events(ics).vevents.filter((v) => v.hasProperty('x-upkeep-activity'));
  const ids = activityEvents.map((v) => v.getFirstPropertyValue('x-upkeep-activity'));
  assert.deepEqual([...ids].sort(), config.activities.map((a) => a.id).sort(),
    'expected one VEVENT per configured activity');

  const end = ICAL.Time.fromDateString(TO);
  for (const vevent of activityEvents) {
    const id = vevent.getFirstPropertyValue('x-upkeep-activity');
    const event = new ICAL.Event(vevent);
    assert.ok(event.startDate.isDate, `${id}: DTSTART is not a DATE`);
    const it = event.iterator();
    const expanded = [];
    for (let t = it.next(), n = 0; t && t.compare(end) <= 0; t = it.next(), n++) {
      assert.ok(n < 20000, `${id}: runaway expansion`);
      if (n === 0) assert.equal(dateOf(t), dateOf(event.startDate), `${id}: DTSTART is not an occurrence`);
      if (dateOf(t) >= FROM) expanded.push(dateOf(t));
    }
    const listed = json.entries.filter((e) => e.kind === 'activity' && e.id === id).map((e) => e.date);
    assert.deepEqual(listed, expanded, `${id} (${vevent.getFirstPropertyValue('rrule')}): `
      + 'JSON dates differ from the ical.js expansion');
  }
}

test('each activity VEVENT expands (ical.js) to exactly its JSON dates, from DTSTART on', () => {
  const { config, json, ics } = fixture();
  assert.ok(json.entries.filter((e) => e.kind === 'activity').length >= 20, 'too few occurrences to check');
  assertActivitiesMatch(config, json, ics);
});

// Cadences whose first occurrence is not their start date, so the feed must move DTSTART
// and spell out the RRULE parts that the start implied (the 22nd, the weekday, ...).
// No BYWEEKNO here: ical.js 2.2.1 ignores BYWEEKNO in YEARLY rules (it gives every Monday for
// FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO, RFC 5545's own example), so it cannot judge those.
const CADENCES = [
  { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU', start: '2026-11-24' },
  { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO', start: '2026-11-24' },
  { rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', start: '2026-11-22' },
  { rrule: 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1,1', start: '2026-11-22' },
  { rrule: 'FREQ=MONTHLY;INTERVAL=18;BYMONTHDAY=10,11,12,13,14,15', start: '2026-11-22' },
  { rrule: 'FREQ=MONTHLY;BYDAY=-2MO;COUNT=10', start: '2026-11-30' },
  { rrule: 'FREQ=YEARLY;INTERVAL=2;BYMONTH=1', start: '2026-11-22' },
  { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', start: '2026-11-22' },
  { rrule: 'FREQ=YEARLY;BYYEARDAY=-1,100', start: '2026-11-22' },
  { rrule: 'FREQ=DAILY;INTERVAL=10;COUNT=5', start: '2026-11-23' },
  { rrule: 'FREQ=WEEKLY;INTERVAL=3;UNTIL=20280101', start: '2026-11-25' },
];

for (const cadence of CADENCES) {
  test(`cadence ${cadence.rrule} from ${cadence.start}: the feed expands (ical.js) to the JSON dates`, () => {
    const { file, config } = writeConfig(`cadence.json`, (c) => { c.activities[0].cadence = { ...cadence }; });
    const json = calendarJson(file);
    assert.ok(json.entries.some((e) => e.id === config.activities[0].id), 'no occurrence in the window');
    assertActivitiesMatch(config, json, calendarIcs(file));
  });
}

test('EXDATE and RDATE: the feed expands (ical.js) to the JSON dates', () => {
  const { json: plain, config: original } = fixture();
  const id = original.activities[0].id;
  const dates = plain.entries.filter((e) => e.id === id).map((e) => e.date);
  assert.ok(dates.length >= 2, `${id}: too few occurrences`);
  const extra = ['2027-07-04', '2028-02-29'].filter((d) => !dates.includes(d));
  const { file, config } = writeConfig('exdates.json', (c) => {
    c.activities[0].cadence.exdates = [dates[1]];
    c.activities[0].cadence.rdates = extra;
  });
  const json = calendarJson(file);
  const now = json.entries.filter((e) => e.id === id).map((e) => e.date);
  assert.ok(!now.includes(dates[1]), 'the EXDATE is still listed');
  assert.ok(extra.every((d) => now.includes(d)), 'an RDATE is not listed');
  assertActivitiesMatch(config, json, calendarIcs(file));
});

test('each audit VEVENT is on the date of its JSON audit entry', () => {
  const { json, ics } = fixture();
  const fromIcs = events(ics).vevents
    .filter((v) => v.hasProperty('x-upkeep-audit'))
    .map((v) => `${v.getFirstPropertyValue('x-upkeep-audit')} ${dateOf(v.getFirstPropertyValue('dtstart'))}`)
    .filter((s) => s.slice(-10) >= FROM && s.slice(-10) <= TO)
    .sort();
  const fromJson = json.entries.filter((e) => e.kind === 'audit').map((e) => `${e.id} ${e.date}`).sort();
  assert.ok(fromJson.length > 0, 'no audit in three years');
  assert.deepEqual(fromIcs, fromJson);
});

test('TEXT with , ; \\ newline and non-ASCII survives escaping and folding', () => {
  const { file, config } = writeConfig('tricky.json', (c) => {
    c.activities[0].title = TRICKY;
    c.activities[0].instructions = `${TRICKY}\n${LONG}`;
    c.activities[1].title = LONG;
  });
  const ics = calendarIcs(file);
  assertWellFormedLines(ics);
  // RFC 5545 3.3.11 TEXT: ; , and \ appear only escaped, and no control character is left.
  const unfolded = ics.toString('utf8').replace(/\r\n[ \t]/g, '').split('\r\n');
  const text = /^(?:[^\\;,\x00-\x08\x0a-\x1f\x7f]|\\[\\;,nN])*$/;
  for (const line of unfolded.filter((l) => /^(SUMMARY|DESCRIPTION)[;:]/.test(l))) {
    assert.match(line.slice(line.indexOf(':') + 1), text, `not RFC 5545 TEXT: ${line}`);
  }
  const byId = new Map(events(ics).vevents
    .filter((v) => v.hasProperty('x-upkeep-activity'))
    .map((v) => [v.getFirstPropertyValue('x-upkeep-activity'), v]));
  const first = byId.get(config.activities[0].id);
  const second = byId.get(config.activities[1].id);
  assert.ok(first && second, 'activity VEVENTs missing');
  assert.equal(first.getFirstPropertyValue('summary'), TRICKY);
  assert.ok(String(first.getFirstPropertyValue('description')).startsWith(`${TRICKY}\n${LONG}`),
    'DESCRIPTION does not start with the instructions');
  assert.equal(second.getFirstPropertyValue('summary'), LONG);
  const titles = calendarJson(file).entries.filter((e) => e.id === config.activities[0].id).map((e) => e.title);
  assert.ok(titles.every((t) => t === TRICKY), 'JSON output changed the title');
});
