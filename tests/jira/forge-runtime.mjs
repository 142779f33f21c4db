// Forge's runtime as the app's backend meets it, for tests: what @forge/api and @forge/kvs reach through
// the globals the platform sets (`__forge_runtime__`, `__forge_fetch__`), and the calls the platform makes
// (a resolver invoked from a Custom UI page, a scheduled trigger).
// - Product fetch (`requestJira`) goes to the contract double as the account the platform would use: the
//   invoking user for `asUser()` (their principal, kept per invocation), the app's own account for
//   `asApp()`; a user-less call (a trigger) asking for `asUser()` gets the platform's error.
// - The key-value store is in memory, behind the HTTP calls @forge/kvs makes (get; set, which a
//   FAIL_IF_EXISTS key policy turns into 409 KEY_CONFLICT for a key that exists; delete; query by a key's
//   beginning; Forge's KEY_NOT_FOUND error; the same for secrets, kept apart). Values do not expire (a ttl
//   is taken, not honoured).
// - A web trigger's address (`webTrigger.getUrl` of @forge/api asks Forge's GraphQL API as the app):
//   one per trigger, https://webtrigger.test/x1/KEY.
// Install it before the app's modules load: @forge/kvs picks its route at load.
import { AsyncLocalStorage } from 'node:async_hooks';

const invocation = new AsyncLocalStorage();

/**
 * @param {{ jira: () => string, users: { accountId: string, email: string, token: string }[], app: { accountId: string } }} setup
 *   `jira`: the double's base URL (read at each request); `users`: the accounts the double knows, the app's among them
 */
export function installForgeRuntime({ jira, users, app }) {
  const store = new Map();
  const secrets = new Map();
  const noop = () => ({ incr() {}, measure: () => ({ stop() {} }) });
  globalThis.__forge_runtime__ = {
    appContext: { appId: 'ari:cloud:ecosystem::app/00000000-0000-0000-0000-000000000000', environmentId: 'env-1', environmentType: 'DEVELOPMENT' },
    contextAri: 'ari:cloud:jira::site/cloud-1',
    metrics: { counter: noop, timing: noop }, lambdaContext: {}, proxy: { token: 'test' }, tracing: { traceId: 't', spanId: 's' },
  };
  globalThis.__forge_fetch__ = async (target, path, init = {}) => {
    if (target.type === 'kvs') {
      const secret = path.startsWith('/api/v1/secret/');
      return kvsAnswer(secret ? secrets : store, secret ? path.replace('/secret', '') : path, JSON.parse(init.body ?? '{}'));
    }
    if (target.type === 'fpp' && target.provider === 'app' && target.remote === 'stargate' && path === '/graphql') {
      return webTriggerAnswer(JSON.parse(init.body ?? '{}'));
    }
    if (target.type !== 'fpp' || target.remote !== 'jira') throw new Error(`the test runtime has no ${target.type}/${target.remote} fetch`);
    const accountId = target.provider === 'app' ? app.accountId : target.accountId ?? invocation.getStore()?.accountId;
    if (!accountId) {
      return new Response('', { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } });
    }
    const user = users.find((u) => u.accountId === accountId);
    if (!user) throw new Error(`the test runtime knows no account ${accountId}`);
    return fetch(jira() + path, { ...init, headers: { ...init.headers,
      Authorization: `Basic ${Buffer.from(`${user.email}:${user.token}`).toString('base64')}` } });
  };
  return {
    store,
    secrets,
    /**
     * Calls a resolver function as Forge does for a Custom UI page in a project (@forge/resolver's
     * definitions: `{ call: { functionKey, payload }, context }` and the invocation's principal).
     * @param {Function} handler @param {string} functionKey @param {object} payload
     * @param {{ accountId: string, project: { id: string, key: string }, issue?: { id: string, key: string } }} as
     *   `issue`: the issue an issue panel is on (none: the project page)
     */
    invoke: (handler, functionKey, payload, { accountId, project, issue }) => invocation.run({ accountId }, () =>
      handler({ call: { functionKey, payload }, context: { cloudId: 'cloud-1', localId: issue ? 'upkeep-control-task' : 'upkeep-isms-page',
        moduleKey: issue ? 'upkeep-control-task' : 'upkeep-isms-page', siteUrl: 'https://example.atlassian.net',
        extension: { type: issue ? 'jira:issuePanel' : 'jira:projectPage', project: { id: project.id, key: project.key, type: 'software' },
          ...(issue ? { issue: { id: issue.id, key: issue.key, type: 'Task' } } : {}) } } },
      { principal: { accountId } })),
    /** Runs a scheduled trigger's function as Forge does: no user. @param {Function} fn */
    trigger: (fn) => invocation.run({}, () => fn({ context: { cloudId: 'cloud-1', moduleKey: 'upkeep-daily-sync' }, contextToken: 'token' }, {})),
    /** Calls a web trigger's function as Forge does with a request to its address: no user. @param {Function} fn @param {string} address */
    webTrigger: (fn, address) => {
      const url = new URL(address);
      /** @type {Record<string, string[]>} */
      const queryParameters = {};
      for (const [name, value] of url.searchParams) (queryParameters[name] ??= []).push(value);
      return invocation.run({}, () => fn({ method: 'GET', path: url.pathname, headers: { accept: ['text/calendar'] }, queryParameters, body: '' },
        { installContext: 'ari:cloud:jira::site/cloud-1' }));
    },
  };
}

/** Forge's answer to @forge/api's request for a web trigger's address. */
function webTriggerAnswer({ query = '', variables = {} }) {
  const input = variables.input ?? {};
  if (!query.includes('createWebTriggerUrl') || !input.appId || !input.envId || !input.triggerKey || !input.contextId) {
    return Response.json({ errors: [{ message: 'The test runtime answers createWebTriggerUrl only, with its input.' }] }, { status: 400 });
  }
  return Response.json({ data: { createWebTriggerUrl: { url: `https://webtrigger.test/x1/${input.triggerKey}` } } });
}

/** The key-value store's answer to one of @forge/kvs's calls. @param {Map<string, unknown>} store */
function kvsAnswer(store, path, body) {
  const json = (status, value) => new Response(value === undefined ? null : JSON.stringify(value),
    { status, headers: value === undefined ? {} : { 'Content-Type': 'application/json' } });
  const missing = () => json(404, { code: 'KEY_NOT_FOUND', message: `No value for the key ${body.key}.` });
  switch (path) {
    case '/api/v1/get':
      return store.has(body.key) ? json(200, { key: body.key, value: store.get(body.key) }) : missing();
    case '/api/v1/set':
      if (typeof body.key !== 'string' || !/^[a-zA-Z0-9:._\s#-]+$/.test(body.key)) return json(400, { code: 'INVALID_KEY', message: `Not a key: ${body.key}` });
      if (body.options?.keyPolicy === 'FAIL_IF_EXISTS' && store.has(body.key)) {
        return json(409, { code: 'KEY_CONFLICT', message: `The key ${body.key} exists.` });
      }
      store.set(body.key, structuredClone(body.value));
      return json(204);
    case '/api/v1/delete':
      return store.delete(body.key) ? json(204) : missing();
    case '/api/v1/query': {
      const [where] = body.where ?? [];
      if (where && (where.property !== 'key' || where.condition !== 'BEGINS_WITH')) {
        return json(400, { code: 'INVALID_QUERY', message: 'The test runtime queries keys by their beginning only.' });
      }
      const keys = [...store.keys()].filter((k) => !where || k.startsWith(where.values[0])).sort();
      const from = body.after ? keys.indexOf(body.after) + 1 : 0;
      const page = keys.slice(from, from + (body.limit ?? 10));
      return json(200, { data: page.map((key) => ({ key, value: store.get(key) })),
        ...(from + page.length < keys.length ? { cursor: page.at(-1) } : {}) });
    }
    default:
      return json(404, { code: 'NOT_FOUND', message: `The test runtime has no ${path}.` });
  }
}
