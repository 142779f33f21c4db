// @ts-check
// Entry point on control-task pages: finds the task's activity in the ISMS configuration through its
// Upkeep key and shows the evidence panel; completing uploads the files, records the work date and
// closes the ticket, then reads it back (Redmine silently ignores a status its workflow forbids).
import { createUpkeep } from '../core/upkeep-core.js';
import { createRedmineClient } from './redmine-api.js';
import { readPageContext } from './selectors.js';
import { el, replaceChildren } from '../lib/dom.js';
import { viewDate } from '../lib/dates.js';
import { renderCompleteWithEvidence, completionNote } from '../features/complete-with-evidence.js';

const root = /** @type {HTMLElement} */ (document.querySelector('#upkeep-evidence'));
const context = readPageContext(document);
const client = createRedmineClient({ baseUrl: context.baseUrl, apiKey: context.apiKey });
const issueId = Number(root.dataset.issueId);

/** @param {string} state @param {...Node} content */
function show(state, ...content) {
  root.dataset.state = state;
  replaceChildren(root, ...content);
}
const failed = (/** @type {string} */ text) => show('failed', el('p', { className: 'upkeep-error' }, text));
const message = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));

async function main() {
  const loaded = await createUpkeep({ moduleUrl: new URL('../core/upkeep-wasm.js', import.meta.url).href });
  if (!loaded.ok) return failed(loaded.reason);
  const [issue, page, statuses, project] = await Promise.all([client.getIssue(issueId),
    client.getWikiPage(context.project, context.configPage), client.statuses(), client.project(context.project)]);
  const key = issue.custom_fields?.find((/** @type {{name: string}} */ f) => f.name === 'Upkeep key')?.value;
  if (!key) return show('none', el('p', {}, 'This control task was not created by Upkeep.'));
  if (!page) return failed(`The project has no ISMS configuration (wiki page ${context.configPage}).`);
  const config = loaded.core.configurationFromWiki(page.text);
  if ('error' in config) return failed(config.error);
  const task = loaded.core.controlTask(config.config, key);
  if ('error' in task) return failed(task.error);

  const closedIds = new Set(statuses.filter((/** @type {{is_closed: boolean}} */ s) => s.is_closed).map((/** @type {{id: number}} */ s) => s.id));
  const closeTo = statuses.find((/** @type {{name: string, is_closed: boolean}} */ s) => s.is_closed && s.name === 'Closed')
    ?? statuses.find((/** @type {{is_closed: boolean}} */ s) => s.is_closed);
  const fieldNamed = (/** @type {string} */ name) => project.issue_custom_fields?.find((/** @type {{name: string}} */ f) => f.name === name);
  const evidenceField = fieldNamed('Evidence date');
  const linksField = fieldNamed('Evidence links'); // for the evidence register (the files are the attachments)
  const stateField = fieldNamed('Upkeep state');
  const state = String(issue.custom_fields?.find((/** @type {{name: string}} */ f) => f.name === 'Upkeep state')?.value ?? '');

  const complete = async (/** @type {{ files: File[], links: string[], note: string, doneOn: string, withoutEvidence: boolean,
    people?: { inScope: number, completed: number } }} */ form) => {
    try {
      const uploads = [];
      for (const file of form.files) {
        uploads.push({ token: await client.upload(file, file.name), filename: file.name, content_type: file.type || 'application/octet-stream' });
      }
      await client.updateIssue(issueId, {
        status_id: closeTo.id,
        notes: completionNote({ ...form, fileNames: form.files.map((f) => f.name) }),
        ...(uploads.length ? { uploads } : {}),
        // The work date, and (in Upkeep's state, for the status) whether evidence came with it.
        custom_fields: [
          ...(evidenceField ? [{ id: evidenceField.id, value: form.doneOn }] : []),
          ...(linksField && form.links.length ? [{ id: linksField.id, value: form.links.join('\n') }] : []),
          ...(stateField ? [{ id: stateField.id, value: `${state.replace(/;evidence=[01]/g, '')};evidence=${form.withoutEvidence ? 0 : 1}` }] : []),
          ...(form.people ? [[fieldNamed('People in scope'), form.people.inScope], [fieldNamed('People completed'), form.people.completed]]
            .filter(([f]) => f).map(([f, value]) => ({ id: f.id, value: String(value) })) : []),
        ],
      });
      const after = await client.getIssue(issueId);
      if (!closedIds.has(after.status.id)) {
        return `The evidence was recorded, but Redmine's workflow does not let your role close this ticket (${after.status.name}): ask the project manager.`;
      }
      location.reload();
      return null;
    } catch (error) {
      return `Not completed. ${message(error)}`;
    }
  };
  show('ready', renderCompleteWithEvidence({ task, issue, closed: closedIds.has(issue.status.id), today: viewDate(), complete }));
}

main().catch((error) => failed(`Upkeep failed: ${message(error)}`));
