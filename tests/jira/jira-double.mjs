// A Jira Cloud contract double: the REST API endpoints Upkeep uses, served on 127.0.0.1, holding itself and
// its callers to Atlassian's OpenAPI description (openapi.mjs). Every request is matched to its operation
// and checked (path, query parameters, JSON body); every answer is checked against the schema the operation
// declares for its status (error answers, which the description leaves without a body, as Jira's
// ErrorCollection); the issue fields the description leaves free are checked against the component schemas
// Jira answers them with (status: StatusDetails, assignee: UserDetails, ...). A request that breaks the
// contract is answered 400, as Jira would, and kept in `violations`; an answer of the double's own that
// breaks it is a 500 and kept there too, so a test that ends with violations fails either way.
//
// What it models, as Atlassian documents it:
// - accounts by e-mail and API token (HTTP Basic); 401 without;
// - projects whose issues only their browsers see (404 otherwise, "does not exist or you do not have
//   permission"), and only their editors change (403);
// - the enhanced JQL search (/rest/api/3/search/jql, GET and POST) with the subset of jql.mjs (400 for the
//   rest), opaque `nextPageToken` paging tied to its query, at most `pageLimit` issues a page when fields are
//   asked for (5,000 for ids and keys only), issue properties in the answers, searchable by JQL only where
//   an app indexes them (`indexed`, from the Forge app's manifest: forge-app.mjs);
// - search lagging behind writes: an issue created or changed is found by search (as it is then) only after
//   `searchLag` more searches, unless its id is in `reconcileIssues` (read after write);
// - issue properties (32 KB a value), comments and links of the site's link types; transitions by each
//   issue type's workflow;
// - injected faults (`fail`): an HTTP status (429 with Retry-After, 5xx), a connection reset before the
//   request is carried out, or an answer lost after it was.
import { createServer } from 'node:http';
import { answerProblems, componentProblems, operationOf, requestProblems } from './openapi.mjs';
import { parseJql } from './jql.mjs';

const PROPERTY_LIMIT = 32768;
const SEARCH_LIMIT_IDS = 5000;
const CATEGORIES = { new: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  done: { id: 3, key: 'done', name: 'Done', colorName: 'green' } };

/** A workflow: its statuses (id, name, category) and transitions (id, name, to, from: status ids, or none for
 * every status). The default: To Do, In Progress, Done, each reachable from any other. */
export const simpleWorkflow = {
  statuses: [{ id: '10000', name: 'To Do', category: 'new' }, { id: '10001', name: 'In Progress', category: 'indeterminate' },
    { id: '10002', name: 'Done', category: 'done' }],
  transitions: [{ id: '11', name: 'To Do', to: '10000' }, { id: '21', name: 'In Progress', to: '10001' },
    { id: '31', name: 'Done', to: '10002' }],
};

/** The issue link types a new Jira Cloud site has. */
export const defaultLinkTypes = [{ id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' },
  { id: '10001', name: 'Cloners', inward: 'is cloned by', outward: 'clones' },
  { id: '10002', name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
  { id: '10003', name: 'Relates', inward: 'relates to', outward: 'relates to' }];

class Refusal extends Error {
  constructor(status, messages = [], errors = {}) {
    super(messages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.status = status;
    this.body = { errorMessages: messages, errors };
  }
}

const isAdf = (value) => value && typeof value === 'object' && value.type === 'doc' && value.version === 1 && Array.isArray(value.content);
const stamp = (date) => date.toISOString().replace('Z', '+0000');

/**
 * @param {{ users: { accountId: string, displayName: string, email: string, token: string, active?: boolean }[],
 *   projects: { id: string, key: string, name: string, browsers: string[], editors: string[], admins?: string[],
 *     issueTypes: { id: string, name: string, workflow?: typeof simpleWorkflow }[] }[],
 *   indexed?: { propertyKey: string, path: string }[], searchLag?: number, pageLimit?: number, now?: () => Date,
 *   linkTypes?: { id: string, name: string, inward: string, outward: string }[] }} setup
 *   `linkTypes`: the site's issue link types (Jira Cloud's four by default)
 */
export function createJiraDouble({ users, projects, indexed: searchable = [], searchLag = 0, pageLimit = 100, now = () => new Date(),
  linkTypes = defaultLinkTypes }) {
  linkTypes = structuredClone(linkTypes);
  let base = '';
  const violations = [];
  const faults = [];
  const issues = new Map(); // id -> issue
  const indexed = new Map(); // id -> { due: search number, view: the issue as search finds it }
  const requests = [];
  let nextId = 10000;
  let searches = 0;
  const counters = Object.fromEntries(projects.map((p) => [p.key, 0]));

  const userOf = (header) => {
    const m = /^Basic (.+)$/.exec(header ?? '');
    if (!m) return null;
    const [email, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return users.find((u) => u.email === email && u.token === rest.join(':')) ?? null;
  };
  const userJson = (u) => ({ self: `${base}/rest/api/3/user?accountId=${u.accountId}`, accountId: u.accountId,
    accountType: 'atlassian', displayName: u.displayName, active: u.active !== false, timeZone: 'Europe/Berlin' });
  const projectOf = (idOrKey) => projects.find((p) => p.key === idOrKey || p.id === idOrKey);
  const workflowOf = (issue) => projectOf(issue.projectKey).issueTypes.find((t) => t.id === issue.issueType.id).workflow ?? simpleWorkflow;
  const statusJson = (issue) => {
    const s = workflowOf(issue).statuses.find((x) => x.id === issue.statusId);
    const c = CATEGORIES[s.category];
    return { self: `${base}/rest/api/3/status/${s.id}`, id: s.id, name: s.name,
      statusCategory: { self: `${base}/rest/api/3/statuscategory/${c.id}`, ...c } };
  };
  const linkedJson = (key) => ({ id: [...issues.values()].find((i) => i.key === key)?.id, key, self: `${base}/rest/api/3/issue/${key}` });
  const linkTypeJson = (t) => ({ ...t, self: `${base}/rest/api/3/issueLinkType/${t.id}` });
  const typeJson = (t) => ({ self: `${base}/rest/api/3/issuetype/${t.id}`, id: t.id, name: t.name, subtask: false, hierarchyLevel: 0 });
  const visible = (user, issue) => projectOf(issue.projectKey).browsers.includes(user.accountId);
  const findIssue = (user, idOrKey) => {
    const issue = [...issues.values()].find((i) => i.id === idOrKey || i.key === idOrKey);
    if (!issue || !visible(user, issue)) throw new Refusal(404, ['Issue does not exist or you do not have permission to see it.']);
    return issue;
  };
  // Without the permission: editing and properties 403, as those operations declare; a transition is
  // not offered (400, as for any transition not available), a link 404 (the operations declare no 403).
  const mayEdit = (user, issue, refusal = new Refusal(403, ['You do not have permission to edit issues in this project.'])) => {
    if (!projectOf(issue.projectKey).editors.includes(user.accountId)) throw refusal;
  };
  const touched = (issue) => {
    issue.updated = now();
    indexed.set(issue.id, { due: searches + searchLag, view: indexed.get(issue.id)?.view ?? null });
    if (searchLag === 0) indexed.get(issue.id).view = structuredClone(issue);
  };

  /** An issue's fields as Jira answers them, those asked for (`*all`, `*navigable` or names). */
  const fieldsJson = (issue, wanted) => {
    const all = {
      summary: issue.summary, description: issue.description ?? null, duedate: issue.duedate ?? null, labels: issue.labels,
      status: statusJson(issue), issuetype: typeJson(issue.issueType),
      project: { self: `${base}/rest/api/3/project/${projectOf(issue.projectKey).id}`, id: projectOf(issue.projectKey).id,
        key: issue.projectKey, name: projectOf(issue.projectKey).name },
      assignee: issue.assignee ? userJson(users.find((u) => u.accountId === issue.assignee)) : null,
      reporter: userJson(users.find((u) => u.accountId === issue.reporter)),
      created: stamp(issue.created), updated: stamp(issue.updated),
      resolutiondate: issue.resolved ? stamp(issue.resolved) : null,
      attachment: (issue.attachments ?? []).map(attachmentJson), issuelinks: issue.links.map((l) => ({ id: l.id, type: { name: l.type },
        ...(l.outward ? { outwardIssue: linkedJson(l.outward) } : { inwardIssue: linkedJson(l.inward) }) })),
    };
    const names = wanted.length ? wanted : ['*navigable'];
    const out = {};
    for (const name of names) {
      if (name === '*all' || name === '*navigable') Object.assign(out, all);
      else if (name === 'id' || name === 'key') continue;
      else if (name.startsWith('-')) delete out[name.slice(1)];
      else if (name in all) out[name] = all[name];
    }
    return out;
  };
  /** Free fields against the schemas Jira answers them with: kept as violations of the double's own. */
  const checkFields = (fields) => {
    const schemas = { status: 'StatusDetails', issuetype: 'IssueTypeDetails', assignee: 'UserDetails', reporter: 'UserDetails' };
    for (const [name, schema] of Object.entries(schemas))
      if (fields[name]) for (const p of componentProblems(schema, fields[name])) violations.push(`the double's ${name}: ${p}`);
  };
  const attachmentJson = (a) => ({ self: `${base}/rest/api/3/attachment/${a.id}`, id: a.id, filename: a.filename,
    author: userJson(a.author), created: stamp(a.created), size: a.size, mimeType: a.mimeType,
    content: `${base}/rest/api/3/attachment/content/${a.id}` });
  const issueJson = (issue, { fields = [], properties = [] } = {}) => {
    const out = { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` };
    const onlyIds = fields.length && fields.every((f) => f === 'id' || f === 'key');
    if (!onlyIds) {
      out.fields = fieldsJson(issue, fields);
      checkFields(out.fields);
    }
    const props = {};
    for (const key of properties.flatMap((p) => p.split(',')))
      if (key === '*all') Object.assign(props, issue.properties);
      else if (key in issue.properties) props[key] = issue.properties[key];
    if (properties.length) out.properties = props;
    return out;
  };

  /** The fields a create or an edit sets, checked as Jira checks them. */
  const applyFields = (issue, fields, project) => {
    const errors = {};
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (name === 'project' || name === 'issuetype') continue;
      if (name === 'summary') {
        if (typeof value !== 'string' || !value.trim()) errors.summary = 'You must specify a summary of the issue.';
        else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
        else issue.summary = value;
      } else if (name === 'description') {
        if (value !== null && !isAdf(value)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
        else issue.description = value;
      } else if (name === 'duedate') {
        if (value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) errors.duedate = 'Error parsing date string: ' + value;
        else issue.duedate = value;
      } else if (name === 'assignee') {
        const id = value?.accountId;
        if (value !== null && !(project.browsers.includes(id) && users.some((u) => u.accountId === id)))
          errors.assignee = `User '${id}' cannot be assigned issues.`;
        else issue.assignee = value === null ? null : id;
      } else if (name === 'labels') {
        if (!Array.isArray(value) || value.some((l) => typeof l !== 'string' || /\s/.test(l))) errors.labels = 'Labels are strings without spaces.';
        else issue.labels = value;
      } else {
        errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    if (Object.keys(errors).length) throw new Refusal(400, [], errors);
  };
  /** A change of an issue made whole or not at all: on a copy, kept only when every part of it passed. */
  const changeWhole = (issue, change) => {
    const draft = structuredClone(issue);
    change(draft);
    Object.assign(issue, draft);
    touched(issue);
  };
  const setProperty = (issue, key, value) => {
    if (!key || key.length > 255) throw new Refusal(400, ['The property key must be between 1 and 255 characters long.']);
    if (Buffer.byteLength(JSON.stringify(value)) > PROPERTY_LIMIT)
      throw new Refusal(400, [`The property value is too long: at most ${PROPERTY_LIMIT} bytes.`]);
    const existed = key in issue.properties;
    issue.properties[key] = value;
    return existed;
  };

  const search = (user, { jql, nextPageToken, maxResults = 50, fields = [], properties = [], reconcileIssues = [] }) => {
    for (const [id, entry] of indexed) if (entry.due <= searches) entry.view = structuredClone(issues.get(id));
    searches += 1;
    let query;
    try {
      query = parseJql(jql ?? '', searchable);
    } catch (error) {
      throw new Refusal(400, [error.message]);
    }
    const reconciled = new Set(reconcileIssues.map(String));
    const found = [...issues.values()].map((issue) => (reconciled.has(issue.id) ? issue : indexed.get(issue.id)?.view))
      .filter((view) => view && visible(user, view) && query.matches(view)).sort(query.order);
    const signature = JSON.stringify([jql, fields, properties]);
    let offset = 0;
    if (nextPageToken) {
      let token;
      try {
        token = JSON.parse(Buffer.from(nextPageToken, 'base64url').toString('utf8'));
      } catch {
        token = null;
      }
      if (!token || token.query !== signature) throw new Refusal(400, ['The nextPageToken is not valid for this search.']);
      offset = token.offset;
    }
    const onlyIds = fields.length > 0 && fields.every((f) => f === 'id' || f === 'key');
    const size = Math.max(1, Math.min(maxResults, onlyIds ? SEARCH_LIMIT_IDS : pageLimit));
    const page = found.slice(offset, offset + size);
    const isLast = offset + size >= found.length;
    return { issues: page.map((issue) => issueJson(issue, { fields, properties })), isLast,
      ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ query: signature, offset: offset + size })).toString('base64url') }) };
  };

  /** The operations the double carries out: operationId -> (request) -> { status, body? }. */
  const operations = {
    getCurrentUser: ({ user }) => ({ status: 200, body: { ...userJson(user), emailAddress: user.email } }),
    // Accounts by their ids, a page of them (unknown ids are left out).
    bulkGetUsers: ({ query }) => {
      const ids = query.getAll('accountId');
      if (!ids.length) throw new Refusal(400, ['accountId is required.']);
      const startAt = Number(query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(query.get('maxResults') ?? 10), 200);
      const found = ids.map((id) => users.find((u) => u.accountId === id)).filter(Boolean);
      const page = found.slice(startAt, startAt + maxResults);
      return { status: 200, body: { startAt, maxResults, total: found.length, isLast: startAt + page.length >= found.length,
        values: page.map(userJson) } };
    },
    // Any account, active or deactivated (`active: false`), by its id.
    getUser: ({ query }) => {
      const found = users.find((u) => u.accountId === query.get('accountId'));
      if (!found) throw new Refusal(404, [`No user with the account id ${query.get('accountId')}.`]);
      return { status: 200, body: userJson(found) };
    },
    // A project's permissions for the caller: an editor's are the issue work Upkeep does, a browser's only
    // browsing, an administrator's (`admins`) the project's administration. Jira asks for the permissions'
    // keys, and for a project the caller may see.
    getMyPermissions: ({ user, query }) => {
      const keys = (query.get('permissions') ?? '').split(',').filter(Boolean);
      if (!keys.length) throw new Refusal(400, ['The permissions query parameter is required.']);
      const project = query.has('projectKey') ? projectOf(query.get('projectKey')) : null;
      if (query.has('projectKey') && (!project || !project.browsers.includes(user.accountId)))
        throw new Refusal(404, [`No project could be found with key '${query.get('projectKey')}'.`]);
      const editing = ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ADD_COMMENTS', 'LINK_ISSUES'];
      const has = (key) => (key === 'BROWSE_PROJECTS' ? !!project
        : key === 'ADMINISTER_PROJECTS' ? !!project && (project.admins ?? []).includes(user.accountId)
          : !!project && project.editors.includes(user.accountId) && editing.includes(key));
      return { status: 200, body: { permissions: Object.fromEntries(keys.map((key) =>
        [key, { key, id: String(editing.indexOf(key) + 10), name: key, type: 'PROJECT', description: key, havePermission: has(key) }])) } };
    },
    getProject: ({ user, path }) => {
      const project = projectOf(path.projectIdOrKey);
      if (!project || !project.browsers.includes(user.accountId))
        throw new Refusal(404, [`No project could be found with key '${path.projectIdOrKey}'.`]);
      return { status: 200, body: { self: `${base}/rest/api/3/project/${project.id}`, id: project.id, key: project.key,
        name: project.name, projectTypeKey: 'software', simplified: false, issueTypes: project.issueTypes.map(typeJson) } };
    },
    searchAndReconsileIssuesUsingJql: ({ user, query }) => ({ status: 200, body: search(user, {
      jql: query.get('jql') ?? undefined, nextPageToken: query.get('nextPageToken') ?? undefined,
      maxResults: query.has('maxResults') ? Number(query.get('maxResults')) : undefined,
      fields: query.getAll('fields').flatMap((f) => f.split(',')), properties: query.getAll('properties'),
      reconcileIssues: query.getAll('reconcileIssues').flatMap((f) => f.split(',')) }) }),
    searchAndReconsileIssuesUsingJqlPost: ({ user, json }) => ({ status: 200, body: search(user, json) }),
    createIssue: ({ user, json }) => {
      const given = json.fields ?? {};
      const project = projectOf(given.project?.key ?? given.project?.id ?? '');
      if (!project || !project.browsers.includes(user.accountId)) throw new Refusal(400, [], { project: 'Specify a valid project ID or key' });
      if (!project.editors.includes(user.accountId)) throw new Refusal(403, ['You do not have permission to create issues in this project.']);
      const type = project.issueTypes.find((t) => t.id === given.issuetype?.id || t.name === given.issuetype?.name);
      if (!type) throw new Refusal(400, [], { issuetype: 'Specify an issue type' });
      if (!('summary' in given)) throw new Refusal(400, [], { summary: 'You must specify a summary of the issue.' });
      const workflow = type.workflow ?? simpleWorkflow;
      const issue = { id: String(nextId++), key: `${project.key}-${counters[project.key] + 1}`, projectKey: project.key,
        issueType: { id: type.id, name: type.name }, statusId: workflow.statuses[0].id, summary: '', labels: [],
        reporter: user.accountId, assignee: null, created: now(), updated: now(), resolved: null, properties: {}, comments: [], links: [] };
      applyFields(issue, given, project);
      for (const p of json.properties ?? []) setProperty(issue, p.key, p.value);
      counters[project.key] += 1;
      issues.set(issue.id, issue);
      touched(issue);
      return { status: 201, body: { id: issue.id, key: issue.key, self: `${base}/rest/api/3/issue/${issue.id}` } };
    },
    getIssue: ({ user, path, query }) => ({ status: 200, body: issueJson(findIssue(user, path.issueIdOrKey),
      { fields: query.getAll('fields').flatMap((f) => f.split(',')), properties: query.getAll('properties') }) }),
    editIssue: ({ user, path, json }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      mayEdit(user, issue);
      changeWhole(issue, (draft) => {
        applyFields(draft, json.fields, projectOf(issue.projectKey));
        for (const p of json.properties ?? []) setProperty(draft, p.key, p.value);
        for (const op of json.update?.comment ?? []) if (op.add) addComment(user, draft, op.add.body);
      });
      return { status: 204 };
    },
    // Files attached as Jira takes them: multipart, each part named "file", with the XSRF header Jira asks of
    // every multipart request.
    addAttachment: ({ user, path, headers, form }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      if (headers['x-atlassian-token'] !== 'no-check') throw new Refusal(403, ['XSRF check failed: send X-Atlassian-Token: no-check.']);
      mayEdit(user, issue);
      const files = form ? form.getAll('file').filter((f) => typeof f === 'object') : [];
      if (!files.length) throw new Refusal(400, ['No file in the part named "file".']);
      const added = files.map((f) => ({ id: String(nextId++), filename: f.name, author: user, created: now(), size: f.size,
        mimeType: f.type || 'application/octet-stream' }));
      issue.attachments = [...(issue.attachments ?? []), ...added];
      touched(issue);
      return { status: 200, body: added.map(attachmentJson) };
    },
    getTransitions: ({ user, path }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      const workflow = workflowOf(issue);
      const available = workflow.transitions.filter((t) => (!t.from || t.from.includes(issue.statusId)) && t.to !== issue.statusId);
      return { status: 200, body: { transitions: available.map((t) => ({ id: t.id, name: t.name, hasScreen: false, isGlobal: !t.from,
        isInitial: false, isAvailable: true, isConditional: false, to: statusJson({ ...issue, statusId: t.to }) })) } };
    },
    doTransition: ({ user, path, json }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      mayEdit(user, issue, new Refusal(400, [`Transition id '${json.transition?.id}' is not valid for this issue.`]));
      const workflow = workflowOf(issue);
      const transition = workflow.transitions.find((t) => t.id === String(json.transition?.id ?? '') &&
        (!t.from || t.from.includes(issue.statusId)) && t.to !== issue.statusId);
      if (!transition) throw new Refusal(400, [`Transition id '${json.transition?.id}' is not valid for this issue.`]);
      changeWhole(issue, (draft) => {
        applyFields(draft, json.fields, projectOf(issue.projectKey));
        for (const p of json.properties ?? []) setProperty(draft, p.key, p.value);
        for (const op of json.update?.comment ?? []) if (op.add) addComment(user, draft, op.add.body);
        draft.statusId = transition.to;
        draft.resolved = workflow.statuses.find((s) => s.id === transition.to).category === 'done' ? now() : null;
      });
      return { status: 204 };
    },
    getIssueProperty: ({ user, path }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      if (!(path.propertyKey in issue.properties)) throw new Refusal(404, [`The property with key '${path.propertyKey}' does not exist.`]);
      return { status: 200, body: { key: path.propertyKey, value: issue.properties[path.propertyKey] } };
    },
    setIssueProperty: ({ user, path, json }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      mayEdit(user, issue);
      const existed = setProperty(issue, path.propertyKey, json);
      touched(issue);
      return { status: existed ? 200 : 201, body: {} };
    },
    addComment: ({ user, path, json }) => {
      const issue = findIssue(user, path.issueIdOrKey);
      const comment = addComment(user, issue, json.body);
      touched(issue);
      return { status: 201, body: comment };
    },
    getIssueLinkTypes: () => ({ status: 200, body: { issueLinkTypes: linkTypes.map(linkTypeJson) } }),
    linkIssues: ({ user, json }) => {
      const outward = findIssue(user, json.outwardIssue?.key ?? json.outwardIssue?.id ?? '');
      const inward = findIssue(user, json.inwardIssue?.key ?? json.inwardIssue?.id ?? '');
      mayEdit(user, outward, new Refusal(404, ['No issue link permission, or the issue does not exist.']));
      const linkType = linkTypes.find((t) => t.name === json.type?.name || t.id === json.type?.id);
      if (!linkType) throw new Refusal(404, [`No issue link type with name '${json.type?.name ?? json.type?.id}' found.`]);
      const id = String(nextId++);
      const type = linkType.name;
      outward.links.push({ id, type, inward: inward.key });
      inward.links.push({ id, type, outward: outward.key });
      touched(outward);
      touched(inward);
      return { status: 201, body: {} };
    },
  };
  function addComment(user, issue, body) {
    if (!isAdf(body)) throw new Refusal(400, [], { comment: 'Comment body must be an Atlassian Document.' });
    const comment = { id: String(nextId++), self: `${base}/rest/api/3/issue/${issue.id}/comment/${nextId}`, author: userJson(user),
      body, created: stamp(now()), updated: stamp(now()) };
    issue.comments.push(comment);
    return comment;
  }

  const answer = (response, op, status, body, { checked = true } = {}) => {
    if (checked && op) {
      const problems = answerProblems(op, status, body);
      if (problems.length) {
        violations.push(...problems.map((p) => `the double's answer to ${op.id}: ${p}`));
        status = 500;
        body = { errorMessages: problems, errors: {} };
      }
    }
    response.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json;charset=UTF-8' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  /** Told each request's operation as it arrives, before the double acts on it (a test's hook). */
  let arriving = /** @type {((operation: string | null) => void) | null} */ (null);
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://double');
      const bytes = Buffer.concat(chunks);
      const text = bytes.toString('utf8');
      // A multipart body's parts, as Jira reads them (the OpenAPI description checks its type only).
      const form = /^multipart\/form-data/.test(request.headers['content-type'] ?? '')
        ? await new Request('http://double', { method: 'POST', headers: { 'content-type': request.headers['content-type'] }, body: bytes })
          .formData().catch(() => null) : null;
      const op = operationOf(request.method ?? 'GET', url.pathname);
      const user = userOf(request.headers.authorization);
      arriving?.(op?.id ?? null);
      requests.push({ method: request.method, path: url.pathname + url.search, operation: op?.id ?? null, body: text,
        account: user?.accountId ?? null });
      if (!op || !operations[op.id]) {
        violations.push(`${request.method} ${url.pathname}: ${op ? `${op.id} is not one Upkeep uses` : 'no such operation'}`);
        return answer(response, null, 404, { errorMessages: ['No such resource.'], errors: {} });
      }
      if (!user) return answer(response, op, 401, undefined);
      const fault = faults.find((f) => f.operation === op.id && f.times > 0);
      if (fault) {
        fault.times -= 1;
        if (fault.reset) return request.socket.destroy();
        if (fault.status) {
          response.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}) });
          return response.end(JSON.stringify({ errorMessages: [`HTTP ${fault.status} (injected)`], errors: {} }));
        }
      }
      const problems = requestProblems(op, url.searchParams, { contentType: request.headers['content-type'], body: text });
      if (problems.length) {
        violations.push(...problems.map((p) => `${op.id}: ${p}`));
        return answer(response, op, 400, { errorMessages: problems, errors: {} }, { checked: false });
      }
      let outcome;
      try {
        outcome = operations[op.id]({ user, path: op.path, query: url.searchParams, headers: request.headers, form,
          json: text && !form ? JSON.parse(text) : {} });
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return answer(response, op, error.status, error.body);
      }
      if (fault?.lose) return request.socket.destroy();
      answer(response, op, outcome.status, outcome.body);
    });
  });

  return {
    get url() { return base; },
    violations,
    requests,
    issues,
    /** Makes each of the next `times` requests of `operation` fail: `{ status, retryAfter? }`, `{ reset: true }`
     * (no answer, nothing done) or `{ lose: true }` (done, the answer lost). */
    fail(operation, fault) {
      faults.push({ operation, times: 1, ...fault });
    },
    /** Calls `hook` with each request's operation as it arrives, before the double acts on it. */
    onRequest(hook) {
      arriving = hook;
    },
    /** An issue made by someone else (not through the API Upkeep uses), searchable at once. */
    seed(user, fields, properties = {}) {
      const project = projectOf(fields.project.key);
      const type = project.issueTypes.find((t) => t.name === fields.issuetype.name);
      const issue = { id: String(nextId++), key: `${project.key}-${++counters[project.key]}`, projectKey: project.key,
        issueType: { id: type.id, name: type.name }, statusId: (type.workflow ?? simpleWorkflow).statuses[0].id, summary: fields.summary,
        description: fields.description ?? null, labels: [], reporter: user, assignee: null, created: now(), updated: now(), resolved: null, properties, comments: [], links: [] };
      issues.set(issue.id, issue);
      indexed.set(issue.id, { due: 0, view: structuredClone(issue) });
      return issue;
    },
    async start() {
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
      return base;
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
