// The JQL the Jira double understands: a strict subset, the queries Upkeep sends; anything else is an error
// (the search answers 400, as Jira does for a query it cannot run). Clauses joined by AND, then an
// optional ORDER BY:
//   project = KEY | project in (KEY, ...)
//   issuetype = "Name" | issuetype in ("Name", ...)         (names or ids)
//   key = KEY-1 | key in (KEY-1, ...)
//   issue.property[name].path = "text" | ... IS EMPTY | ... IS NOT EMPTY   (where an app indexes it)
//   ORDER BY key|id|created [ASC|DESC], ...
// A query without a clause is refused as Jira refuses it on this search ("unbounded").

/** The query's words: quoted strings, names, and the punctuation the subset uses. */
function tokens(text) {
  const out = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|=|\(|\)|,)|([A-Za-z0-9_.\-[\]]+))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) throw new Error(`Error in the JQL Query: the character '${text.slice(at).trim()[0]}' is a reserved JQL character.`);
    at = pattern.lastIndex;
    if (m[1] !== undefined || m[2] !== undefined) out.push({ text: (m[1] ?? m[2]).replace(/\\(.)/g, '$1'), quoted: true });
    else out.push({ text: m[3] ?? m[4], quoted: false });
  }
  return out;
}

const PROPERTY = /^issue\.property\[([A-Za-z0-9_.-]+)\]\.([A-Za-z0-9_.]+)$/i;

/**
 * A query of the subset as a filter and an order; throws with Jira's kind of message otherwise. An issue
 * property is searchable only where an app indexes it (`indexed`: its key and path), as in Jira.
 * @param {string} text @param {{ propertyKey: string, path: string }[]} [indexed]
 * @returns {{ matches: (issue: { key: string, id: string, projectKey: string, issueType: { id: string, name: string },
 *   properties: Record<string, unknown> }) => boolean, order: (a: any, b: any) => number }}
 */
export function parseJql(text, indexed = []) {
  const words = tokens(text);
  let i = 0;
  const peek = () => words[i];
  const word = (w) => peek() && !peek().quoted && peek().text.toUpperCase() === w;
  const take = (what) => {
    const t = words[i++];
    if (!t) throw new Error(`Error in the JQL Query: Expecting ${what} but reached the end of the query.`);
    return t;
  };
  const expect = (w) => {
    const t = take(`'${w}'`);
    if (t.quoted || t.text.toUpperCase() !== w) throw new Error(`Error in the JQL Query: Expecting '${w}' but got '${t.text}'.`);
  };
  const values = () => {
    if (!word('(')) return [take('a value').text];
    i += 1;
    const list = [take('a value').text];
    while (word(',')) {
      i += 1;
      list.push(take('a value').text);
    }
    expect(')');
    return list;
  };
  const clauses = [];
  while (i < words.length && !word('ORDER')) {
    if (clauses.length) expect('AND');
    const field = take('a field');
    if (field.quoted) throw new Error(`Error in the JQL Query: Expecting a field name but got '${field.text}'.`);
    const name = field.text.toLowerCase();
    const property = PROPERTY.exec(field.text);
    if (property) {
      const [, key, path] = property;
      if (!indexed.some((i) => i.propertyKey === key && i.path === path))
        throw new Error(`Field '${field.text}' does not exist or you do not have permission to view it.`);
      const valueOf = (issue) => path.split('.').reduce((v, part) => (v && typeof v === 'object' ? v[part] : undefined), issue.properties[key]);
      if (word('IS')) {
        i += 1;
        const not = word('NOT');
        if (not) i += 1;
        expect('EMPTY');
        clauses.push((issue) => (valueOf(issue) === undefined || valueOf(issue) === null || valueOf(issue) === '') !== not);
      } else {
        expect('=');
        const wanted = take('a value').text;
        clauses.push((issue) => String(valueOf(issue) ?? '') === wanted && valueOf(issue) !== undefined);
      }
      continue;
    }
    if (!['project', 'issuetype', 'type', 'key', 'issuekey'].includes(name))
      throw new Error(`Error in the JQL Query: Field '${field.text}' is not supported here.`);
    const operator = take('an operator');
    let wanted;
    if (!operator.quoted && operator.text === '=') wanted = [take('a value').text];
    else if (!operator.quoted && operator.text.toUpperCase() === 'IN') wanted = values();
    else throw new Error(`Error in the JQL Query: The operator '${operator.text}' is not supported here.`);
    const upper = wanted.map((w) => w.toUpperCase());
    if (name === 'project') clauses.push((issue) => upper.includes(issue.projectKey.toUpperCase()));
    else if (name === 'key' || name === 'issuekey') clauses.push((issue) => upper.includes(issue.key.toUpperCase()));
    else clauses.push((issue) => upper.includes(issue.issueType.name.toUpperCase()) || wanted.includes(issue.issueType.id));
  }
  if (!clauses.length) throw new Error('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const keys = [];
  if (word('ORDER')) {
    i += 1;
    expect('BY');
    do {
      if (keys.length) i += 1;
      const field = take('a field').text.toLowerCase();
      if (!['key', 'id', 'created'].includes(field)) throw new Error(`Error in the JQL Query: Ordering by '${field}' is not supported here.`);
      let sign = 1;
      if (word('ASC')) i += 1;
      else if (word('DESC')) {
        i += 1;
        sign = -1;
      }
      keys.push({ field, sign });
    } while (word(','));
  }
  if (i < words.length) throw new Error(`Error in the JQL Query: Expecting end of query but got '${words[i].text}'.`);
  const number = (issue, field) => (field === 'key' ? Number(issue.key.split('-').at(-1)) : Number(issue.id));
  return {
    matches: (issue) => clauses.every((clause) => clause(issue)),
    order: (a, b) => {
      for (const { field, sign } of keys.length ? keys : [{ field: 'key', sign: -1 }]) {
        const d = number(a, field) - number(b, field);
        if (d) return sign * d;
      }
      return 0;
    },
  };
}
