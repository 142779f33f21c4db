// @ts-check
// Loads the WebAssembly core (the ES module emitted by emcc plus its .wasm) and reports why when it
// cannot: no WebAssembly in this browser, the file is missing, or a Content Security Policy blocks
// compiling it. Never throws; the UI shows `reason` instead of failing silently.

/**
 * @typedef {{ ok: true, raw: RawCore } | { ok: false, reason: string }} LoadResult
 * @typedef {{ next(): string, answer(responses: string, bodies?: string[]): void, call(method: string, request: string): string,
 *   interrupt(why: string): void, delete(): void }} RawSession
 * @typedef {{ version(): string, expand(request: string): string, validate(config: string): string,
 *   calendar(config: string, request: string): string,
 *   session(kind: string, request: string): RawSession }} RawCore
 */

/**
 * @param {{ moduleUrl: string, wasmUrl?: string, wasmBinary?: ArrayBuffer | Uint8Array,
 *   fetchImpl?: typeof fetch }} options
 * @returns {Promise<LoadResult>}
 */
export async function loadCore({ moduleUrl, wasmUrl, wasmBinary, fetchImpl = globalThis.fetch }) {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    return { ok: false, reason: 'This browser cannot run WebAssembly, which Upkeep needs. Use a current browser.' };
  }
  try {
    if (!wasmBinary) {
      const url = wasmUrl ?? moduleUrl.replace(/\.m?js$/, '.wasm');
      const response = await fetchImpl(url, { credentials: 'same-origin' });
      if (!response.ok) {
        return { ok: false, reason: `Could not load the Upkeep core (${url}): HTTP ${response.status}.` };
      }
      wasmBinary = await response.arrayBuffer();
    }
    // Loaded where it is at run time, never bundled (the Forge app's backend is bundled by webpack).
    const { default: createUpkeepCore } = await import(/* webpackIgnore: true */ moduleUrl);
    const module = await createUpkeepCore({ wasmBinary, print: () => {}, printErr: () => {} });
    return { ok: true, raw: rawCalls(module) };
  } catch (error) {
    return { ok: false, reason: describeFailure(error) };
  }
}

/**
 * The module's C exports (wasm/upkeep_wasm.cpp) as the raw calls: strings go in as UTF-8 copied into the
 * module's memory and freed after the call; the answer is copied out at once (it lives until the next call).
 * @param {any} module the Emscripten module
 * @returns {RawCore}
 */
function rawCalls(module) {
  /** @param {(...pointers: number[]) => number} call @param {string[]} texts */
  const withStrings = (call, texts) => {
    const pointers = texts.map((text) => {
      const size = module.lengthBytesUTF8(text) + 1;
      const pointer = module._malloc(size);
      module.stringToUTF8(text, pointer, size);
      return pointer;
    });
    try {
      return call(...pointers);
    } finally {
      for (const pointer of pointers) module._free(pointer);
    }
  };
  /** @param {string} name @param {string} [argument] @param {string} [more] */
  const call = (name, argument = '', more = '') =>
    module.UTF8ToString(withStrings((f, a, b) => module._upkeep_call(f, a, b), [name, argument, more]));
  return {
    version: () => call('version'),
    expand: (request) => call('expand', request),
    validate: (config) => call('validate', config),
    calendar: (config, request) => call('calendar', config, request),
    session: (kind, request) => {
      const handle = withStrings((k, r) => module._upkeep_open(k, r), [kind, request]);
      /** @param {string} method @param {string} [argument] @param {string} [more] */
      const sessionCall = (method, argument = '', more = '') =>
        module.UTF8ToString(withStrings((m, a, b) => module._upkeep_session_call(handle, m, a, b), [method, argument, more]));
      return {
        next: () => sessionCall('next'),
        // Each body goes in as the tracker sent it, staged for the answer (its responses without "body").
        answer: (responses, bodies = []) => {
          for (const body of bodies) sessionCall('body', body);
          sessionCall('answer', responses);
        },
        call: (method, request) => sessionCall('call', method, request),
        interrupt: (why) => { sessionCall('interrupt', why); },
        delete: () => module._upkeep_close(handle),
      };
    },
  };
}

/** @param {unknown} error */
function describeFailure(error) {
  const text = String(error instanceof Error ? error.message : error);
  if (/Content Security Policy|unsafe-eval|CompileError.*refused/i.test(text)) {
    return "The page's Content Security Policy blocks WebAssembly: allow 'wasm-unsafe-eval' for scripts. (" + text + ')';
  }
  return 'The Upkeep core failed to start: ' + text;
}
