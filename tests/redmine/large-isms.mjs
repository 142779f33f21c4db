// A large ISMS for the benchmarks: a configuration whose current audit period has about `tickets` weekly
// occurrences due by `today` (activities of the starter's vulnerability review, owners in turn), and the
// control tasks a lived-in project would have for them: mostly done on time, some late, some open, a few
// closed without evidence. bench-status-panel.mjs feeds them to the core as Redmine's answers;
// seed-large-project.mjs makes them real tickets in a Redmine project.
import { upkeep } from './harness.mjs';

export const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

/**
 * @param {{ tickets: number, today: string }} options
 * @returns {{ config: any, tasks: { key: string, subject: string, owner: string, due: string, closed: boolean,
 *   doneOn: string, evidence: boolean }[] }}
 */
export function largeIsms({ tickets, today }) {
  const config = JSON.parse(upkeep(['init', '--decision-date', '2026-03-15']));
  const template = config.activities.find((a) => a.id === 'vulnerability-management');
  const perActivity = 36; // weekly occurrences from 2026-03-16 to 2026-11-22
  config.activities = Array.from({ length: Math.ceil(tickets / perActivity) }, (_, i) => ({
    ...template, id: `control-${i}`, title: `Control ${i}`, owner: ['ciso', 'itops', 'secops', 'hr'][i % 4],
    cadence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', start: '2026-03-16' } }));
  const tasks = [];
  let n = 1000;
  for (const activity of config.activities) {
    for (let due = '2026-03-16'; due <= today && tasks.length < tickets; due = addDays(due, 7)) {
      const roll = (n++ * 7919) % 10;
      const closed = roll < 8;
      tasks.push({ key: `control:${activity.id}:${due}`, subject: `${activity.title} (due ${due})`, owner: activity.owner, due,
        closed, doneOn: roll < 6 ? addDays(due, -1) : addDays(due, 4), evidence: closed && roll !== 5 });
    }
  }
  return { config, tasks };
}
