// Atlassian's OpenAPI description of the Jira Cloud REST API (reference/, with its provenance) as the
// contract the Jira double holds itself and its callers to: which operation a method and path are, and
// what is wrong with a request (its path, query parameters and JSON body) or with an answer (its status
// and body) by that operation's schemas. Schemas are OpenAPI 3.0's (`nullable`, `readOnly`), checked
// with Ajv; `$ref`s resolve into the description's components.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';

const Ajv = AjvModule.default ?? AjvModule;
const addFormats = formatsModule.default ?? formatsModule;

const FILE = new URL('./reference/jira-platform-openapi-v3.json', import.meta.url);
const SHA256 = '5021849ab54916b9005a44bb9931c061bd8f3c907d2bfdb00104b4bb4eb78093';

/** Atlassian's description, checked to be the copy reference/README.md describes. */
function loadDescription() {
  const bytes = readFileSync(FILE);
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (sum !== SHA256) throw new Error(`${FILE.pathname}: sha256 ${sum}, not the copy reference/README.md describes`);
  return JSON.parse(bytes.toString('utf8'));
}

const description = loadDescription();
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Formats of the description that Ajv's formats do not define: their type is checked, not their form.
for (const format of ['double', 'byte', 'binary', 'url']) ajv.addFormat(format, true);
ajv.addSchema({ components: description.components }, 'jira');

const compiled = new Map();
/** A validator of one of the description's schemas (inline or a `$ref`), made once. */
function validatorOf(schema) {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"jira#/components/');
  if (!compiled.has(text)) compiled.set(text, ajv.compile(JSON.parse(text)));
  return compiled.get(text);
}

/** Ajv's errors as short sentences, each at its JSON pointer. */
function describeErrors(errors, where) {
  return (errors ?? []).slice(0, 5).map((e) => `${where}${e.instancePath || ''} ${e.message}` +
    (e.params?.additionalProperty ? ` ("${e.params.additionalProperty}")` : ''));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
// Every operation's path as a pattern, the most literal first ("/issue/createmeta" before "/issue/{id}").
const routes = Object.entries(description.paths).flatMap(([template, item]) => METHODS.filter((m) => item[m])
  .map((method) => {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`);
    const operation = item[method];
    return { method: method.toUpperCase(), template, names, pattern, operation,
      parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])] };
  }))
  .sort((a, b) => a.names.length - b.names.length);

/**
 * The operation a request is, with its path's parameters, or null when the description has none.
 * @param {string} method @param {string} pathname
 */
export function operationOf(method, pathname) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const path = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    return { id: route.operation.operationId, template: route.template, path, route };
  }
  return null;
}

/** A query parameter's text as its schema's type, for the schema to check. */
function typed(schema, values) {
  const one = (text, type) => {
    if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
    return text;
  };
  if (schema?.type === 'array') return values.flatMap((v) => v.split(',')).map((v) => one(v, schema.items?.type));
  return one(values[0], schema?.type);
}

/**
 * What is wrong with a request by its operation's description: unknown or missing query parameters,
 * values of the wrong type, a body that is missing, of another type, or that breaks its schema.
 * @param {ReturnType<typeof operationOf>} op @param {URLSearchParams} query
 * @param {{ contentType?: string, body?: string }} request
 * @returns {string[]}
 */
export function requestProblems(op, query, { contentType = '', body = '' }) {
  const problems = [];
  const declared = new Map(op.route.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  for (const name of new Set(query.keys())) {
    const parameter = declared.get(name);
    if (!parameter) {
      problems.push(`query parameter "${name}" is not one of ${op.id}'s`);
      continue;
    }
    const validate = validatorOf(parameter.schema ?? {});
    if (!validate(typed(parameter.schema, query.getAll(name)))) problems.push(...describeErrors(validate.errors, `query ${name}`));
  }
  for (const [name, parameter] of declared)
    if (parameter.required && !query.has(name)) problems.push(`query parameter "${name}" is required`);
  const requestBody = op.route.operation.requestBody;
  if (!requestBody) {
    if (body) problems.push(`${op.id} takes no body`);
    return problems;
  }
  if (!body) {
    if (requestBody.required) problems.push(`${op.id} needs a body`);
    return problems;
  }
  const media = contentType.split(';')[0].trim();
  const content = requestBody.content?.[media];
  if (!content) return [...problems, `body of type "${media || 'none'}"; ${op.id} takes ${Object.keys(requestBody.content ?? {}).join(', ')}`];
  if (media !== 'application/json') return problems;
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  const validate = validatorOf(content.schema ?? {});
  if (!validate(value)) problems.push(...describeErrors(validate.errors, 'body'));
  return problems;
}

/**
 * What is wrong with an answer by its operation's description: a status it does not declare, or a body
 * that breaks the schema declared for that status. @param {ReturnType<typeof operationOf>} op
 * @param {number} status @param {unknown} body the answer's JSON value (undefined: no body)
 * @returns {string[]}
 */
export function answerProblems(op, status, body) {
  const declared = op.route.operation.responses?.[String(status)];
  if (!declared) return [`${op.id} does not answer ${status}`];
  // An error the description declares without a body is answered with Jira's ErrorCollection, as
  // Atlassian's documentation of the REST API's status codes says.
  const schema = declared.content?.['application/json']?.schema ??
    (status >= 400 ? { $ref: '#/components/schemas/ErrorCollection' } : null);
  if (!schema) return body === undefined ? [] : [`${op.id}'s ${status} has no body`];
  if (body === undefined) return status >= 400 || status === 204 ? [] : [`${op.id}'s ${status} needs a body`];
  const validate = validatorOf(schema);
  return validate(body) ? [] : describeErrors(validate.errors, `answer ${status}`);
}

/**
 * What is wrong with a value by one of the description's component schemas (for the values the
 * description leaves free, such as an issue's fields). @param {string} name @param {unknown} value
 */
export function componentProblems(name, value) {
  const validate = validatorOf({ $ref: `#/components/schemas/${name}` });
  return validate(value) ? [] : describeErrors(validate.errors, name);
}
