// An HTTP proxy on 127.0.0.1 between `upkeep sync` and Redmine that injects faults by schedule:
//   { method, path (RegExp), nth (1-based among matching requests), every (match all from nth on), fault }
// where fault is { status, retryAfter } (answered without reaching Redmine), 'reset' (connection cut
// before Redmine sees it), or 'lost' (Redmine processes it, then the connection is cut before the answer).
// onWrite(hook) is called, before the answer is sent, each time a POST or PUT succeeds at Redmine.
// delayMs holds every request that long before it goes on: a slow tracker, so that a run lasts.
import http from 'node:http';

export async function startFaultProxy(targetUrl, rules = [], { delayMs = 0 } = {}) {
  const target = new URL(targetUrl);
  const counts = rules.map(() => 0);
  const log = [];
  let writes = 0;
  let writeHook = () => {};

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry = { method: req.method, path: req.url, at: Date.now(), fault: null };
      log.push(entry);
      let fault = null;
      rules.forEach((rule, i) => {
        if (fault || (rule.method && rule.method !== req.method) || (rule.path && !rule.path.test(req.url))) return;
        counts[i] += 1;
        if (counts[i] === rule.nth || (rule.every && counts[i] >= rule.nth)) fault = rule.fault;
      });
      entry.fault = fault;
      if (fault === 'reset') return req.socket.destroy();
      if (fault && typeof fault === 'object') {
        res.writeHead(fault.status, { 'Content-Type': 'application/json',
          ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}) });
        return res.end(JSON.stringify({ errors: [`injected ${fault.status}`] }));
      }
      const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url,
        headers: { ...req.headers, host: target.host } }, (answer) => {
        const parts = [];
        answer.on('data', (c) => parts.push(c));
        answer.on('end', () => {
          if ((req.method === 'POST' || req.method === 'PUT') && answer.statusCode < 300) writeHook(++writes, entry);
          if (fault === 'lost') return req.socket.destroy();
          if (res.destroyed) return;
          res.writeHead(answer.statusCode, answer.headers);
          res.end(Buffer.concat(parts));
        });
      });
      upstream.on('error', () => req.socket.destroy());
      setTimeout(() => upstream.end(body), delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    onWrite(hook) { writeHook = hook; }, // hook(n, entry): the nth successful write, and its log entry
    stop: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
