// The change prompt as its tests drive it in Chromium, on any Redmine process serving the project's
// database: shared by change-prompt.test.mjs and two-servers.test.mjs.
import assert from 'node:assert/strict';
import { field, loggedIn, redmineUrl, rest } from './harness.mjs';

export const today = new Date().toISOString().slice(0, 10); // writes use the browser's local date (TZ is UTC here)
export const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
export const isOpen = (issue) => issue.status.name !== 'Closed'; // the only closed status Upkeep uses here

/**
 * The steps on one project (its configuration, Redmine's Change tracker), in the browser of `resources`
 * (harness.suite), whose cleanups close what they open.
 */
export function changeSteps(resources, project, config, changeTracker) {
  async function newChange(subject, extra = {}) {
    const created = await rest('POST', '/issues.json', { issue: { project_id: project, tracker_id: changeTracker.id, subject,
      description: '<script>window.__pwned=1</script> rollout plan', ...extra } }, 'itops');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.issue;
  }

  async function openChange(id, login = 'itops', base = redmineUrl) {
    const { context, page } = await loggedIn(resources.browser, login, base);
    resources.cleanups.push(() => context.close());
    await page.goto(`${base}/issues/${id}`);
    await page.waitForSelector('#upkeep-change:not([data-state="loading"])', { timeout: 20000, state: 'attached' });
    return page;
  }

  /** Answers every question (no / none unless given) and submits; waits until the prompt shows the new record. */
  async function answer(page, given) {
    if (!(await page.$eval('#upkeep-change details', (d) => d.open))) await page.click('#upkeep-change summary');
    for (const q of config.changes.questions) {
      const value = given[q.id] ?? (q.choices ? 'none' : 'no');
      await page.check(`#upkeep-change input[name="q-${q.id}"][value="${value}"]`);
    }
    const before = await page.textContent('#upkeep-change summary');
    await page.click('#upkeep-change button[type="submit"]');
    await page.waitForFunction((old) => {
      const summary = document.querySelector('#upkeep-change summary');
      const error = document.querySelector('#upkeep-change .upkeep-form-message.upkeep-error');
      return error?.textContent || (summary && summary.textContent !== old && !document.querySelector('#upkeep-change button[disabled]'));
    }, before, { timeout: 30000 });
    const error = await page.$('#upkeep-change .upkeep-form-message.upkeep-error');
    assert.equal(error, null, error ? await error.textContent() : '');
  }

  async function followUpsOf(changeId) {
    const issues = (await rest('GET', `/issues.json?project_id=${project}&status_id=*&limit=100&sort=id`)).body.issues;
    return issues.filter((i) => i.tracker.name === 'ISMS follow-up' && String(field(i, 'Upkeep key')).startsWith(`change:${changeId}:`));
  }


  async function changeNow(id) {
    return (await rest('GET', `/issues/${id}.json?include=journals,relations`)).body.issue;
  }

  /** The follow-ups the starter configuration's rules call for (computed here, independently of the core). */
  function expectedFollowUps(answers, goLive) {
    const holds = (condition) => {
      const [q, wanted = 'yes'] = condition.split('=');
      return answers[q] === wanted;
    };
    return config.changes.follow_ups.filter((f) => f.when.some(holds)).map((f) => {
      const due = f.due?.before_go_live !== undefined && goLive
        ? [addDays(goLive, -f.due.before_go_live), today].sort()[1]
        : addDays(today, f.due?.after_assessment ?? 14);
      return { key: `change:${f.id}`, owner: f.owner, due };
    }).sort((a, b) => a.key.localeCompare(b.key));
  }

  /**
   * After two people answered the same change at once (`pages`, with `answers` each, the first saying yes to
   * new-supplier and the second not): one consistent record. Either both answers are on it, one after the other (revisions 1 and 2), or Redmine refused the second
   * because the first came in while it was being answered: then its page says so.
   */
  async function oneConsistentRecord(change, pages, answers, goLive) {
    const [answersA, answersB] = answers;
    const [a, b] = pages;
    const recorded = await changeNow(change.id);
    const state = field(recorded, 'Upkeep state');
    const recordedAnswers = Object.fromEntries(state.split(';a=')[1].split(',').map((pair) => pair.split(':')));
    const winner = recordedAnswers['new-supplier'] === 'yes' ? answersA : answersB;
    const open = (await followUpsOf(change.id)).filter(isOpen);
    const openKeys = open.map((i) => field(i, 'Upkeep key').split(':')[2]).sort();
    assert.deepEqual(openKeys, expectedFollowUps(winner, goLive).map((f) => f.key.split(':')[1]));
    assert.equal(new Set(openKeys).size, openKeys.length, 'no follow-up is open twice');
    const notes = recorded.journals.filter((j) => /ISMS impact assessment/.test(j.notes ?? ''));
    const revisions = notes.map((j) => Number(/revision (\d+)/.exec(j.notes)?.[1]));
    assert.deepEqual(revisions, notes.length === 2 ? [1, 2] : [1], 'one note per revision number');
    assert.ok(notes.at(-1).details.some((d) => d.new_value === state), 'the last note is the recorded assessment');
    const conflicts = (await Promise.all([a, b].map((p) => p.$('#upkeep-change .upkeep-conflict')))).filter(Boolean);
    assert.equal(conflicts.length, 2 - notes.length, 'the one whose answer was refused is told');
  }

  return { newChange, openChange, answer, followUpsOf, changeNow, expectedFollowUps, oneConsistentRecord };
}
