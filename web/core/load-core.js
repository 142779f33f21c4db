// @ts-check
// Loads the WebAssembly core (the ES module emitted by emcc plus its .wasm) and reports why when it
// cannot: no WebAssembly in this browser, the file is missing, or a Content Security Policy blocks
// compiling it. Never throws; the UI shows `reason` instead of failing silently.

/**
 * @typedef {{ ok: true, raw: RawCore } | { ok: false, reason: string }} LoadResult
 * @typedef {{ version(): string, expand(request: string): string, validate(config: string): string,
 *   calendar(config: string, request: string): string, controlTask(config: string, key: string): string,
 *   configurationFromWiki(text: string): string, SyncSession: new (request: string) => { step(): string,
 *   answer(body: string): void, alreadyApplied(index: number, body: string): boolean, status(request: string): string,
 *   exportFile(request: string): string, delete(): void },
 *   ChangeSession: new (request: string) => { step(): string, answer(body: string): void, reread(): void, delete(): void },
 *   configurationToWiki(request: string): string }} RawCore
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
    const { default: createUpkeepCore } = await import(moduleUrl);
    /** @type {RawCore} */
    const raw = await createUpkeepCore({ wasmBinary, print: () => {}, printErr: () => {} });
    return { ok: true, raw };
  } catch (error) {
    return { ok: false, reason: describeFailure(error) };
  }
}

/** @param {unknown} error */
function describeFailure(error) {
  const text = String(error instanceof Error ? error.message : error);
  if (/Content Security Policy|unsafe-eval|CompileError.*refused/i.test(text)) {
    return "The page's Content Security Policy blocks WebAssembly: allow 'wasm-unsafe-eval' for scripts. (" + text + ')';
  }
  return 'The Upkeep core failed to start: ' + text;
}
