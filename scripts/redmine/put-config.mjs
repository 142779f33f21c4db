// Stores an ISMS configuration file in a project's wiki page, the way the ISMS tab's import does:
// validated by the wasm core first (nothing is written when it has errors), wrapped as a wiki page.
//   node scripts/redmine/put-config.mjs --url URL --project ID --file FILE [--if-missing] [--as LOGIN]
// The API key comes from build/redmine/credentials.json (written by scripts/redmine.sh), never argv.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultCredentials, loadCore, peopleOf } from './node-core.mjs';
import { runSession } from '../../web/core/run-session.js';

const { values } = parseArgs({ options: {
  url: { type: 'string' }, project: { type: 'string' }, file: { type: 'string' },
  'if-missing': { type: 'boolean', default: false }, as: { type: 'string', default: 'admin' },
  credentials: { type: 'string', default: defaultCredentials },
  page: { type: 'string', default: 'ISMS_configuration' }, markup: { type: 'string', default: 'textile' } } });
for (const name of ['url', 'project', 'file']) {
  if (!values[name]) { console.error(`put-config: --${name} is required`); process.exit(2); }
}

const core = await loadCore('put-config');
const send = peopleOf(values.url, values.credentials)(values.as);
const page = `/projects/${encodeURIComponent(values.project)}/wiki/${encodeURIComponent(values.page)}.json`;
const existing = await send({ method: 'GET', path: page, body: '', content_type: '' });
if (existing.status === 200 && values['if-missing']) process.exit(0);

const text = readFileSync(values.file, 'utf8');
const report = core.validate(text);
if (!report.ok) {
  for (const p of report.errors) console.error(`${values.file}: ${p.pointer}: ${p.message}`);
  console.error('put-config: not stored: fix the errors above');
  process.exit(2);
}
// The ISMS tab's import: the core's session validates, writes the page (with its version), and checks.
const version = existing.status === 200 ? JSON.parse(existing.body).wiki_page.version : undefined;
const session = core.openSession('save_configuration', { project: values.project, config: text, markup: values.markup,
  comment: 'Stored by Upkeep', ...(version !== undefined ? { version } : {}) });
const outcome = await runSession(session, { send });
session.dispose();
const failure = 'error' in outcome ? outcome.error : outcome.result.failure?.message;
if (failure) { console.error(`put-config: not stored: ${failure}`); process.exit(1); }
console.error(`==> stored ${values.file} in ${values.url}/projects/${values.project}/wiki/${values.page}`);
