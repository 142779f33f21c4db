// @ts-check
// Builds DOM from text only: tracker data (subjects, notes, configuration text) is attacker-controlled,
// so nothing here ever parses HTML. Strings become text nodes.

/**
 * @param {string} tag
 * @param {{ className?: string, attrs?: Record<string, string>, dataset?: Record<string, string>,
 *   onClick?: (event: Event) => void }} [props]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  for (const [name, value] of Object.entries(props.dataset ?? {})) node.dataset[name] = value;
  if (props.onClick) node.addEventListener('click', props.onClick);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Replaces every child of `parent` with `children`. @param {Element} parent @param {...Node} children */
export function replaceChildren(parent, ...children) {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  parent.append(...children);
}

/**
 * A part of a page that folds, open at first; its heading is what stays when folded.
 * @param {string} id @param {string} className @param {string} heading @param {...(Node | null)} content
 * @returns {HTMLElement}
 */
export function foldingSection(id, className, heading, ...content) {
  return el('details', { className: `upkeep-section ${className}`, attrs: { id, open: '' } },
    el('summary', {}, el('h3', {}, heading)), ...content);
}

/**
 * A box that scrolls sideways on its own when its content (a wide table) is wider than the page; it can be
 * focused and scrolled from the keyboard, and is named for screen readers.
 * @param {string} label @param {Node} content
 * @returns {HTMLElement}
 */
export function scrollBox(label, content) {
  return el('div', { className: 'upkeep-scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': label } }, content);
}

/**
 * A long table's rows or a long list's items, the first `first` of them drawn at once: a browser lays out
 * thousands of rows slowly, and nobody reads them all before the rest of the page. The rest are drawn in
 * place by a "Show all N" button, returned to be put after the table (null when all are drawn).
 * @template T
 * @param {HTMLElement} parent the tbody, ul or ol
 * @param {T[]} items @param {(item: T) => Node} draw @param {number} first
 * @returns {HTMLElement | null}
 */
export function drawFirst(parent, items, draw, first) {
  parent.append(...items.slice(0, first).map(draw));
  if (items.length <= first) return null;
  const button = el('button', { attrs: { type: 'button' }, className: 'upkeep-show-all',
    onClick: () => { parent.append(...items.slice(first).map(draw)); button.remove(); } }, `Show all ${items.length}`);
  return button;
}
