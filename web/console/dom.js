/**
 * Building DOM safely: every piece of text goes in through `textContent`, never `innerHTML`, so
 * customer text such as `<img src=x onerror=alert(1)>` is shown as text and never parsed.
 */

/** `el('td', { className: 'x', title: 'y' }, 'text', childNode)`; strings become text nodes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'onclick') node.addEventListener('click', value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (id) => document.getElementById(id);

/** Replaces every child of `node`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
}

/** "3 mnt", "1 j 05 mnt", "2 hr 3 j": short durations for wait times and countdowns. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d} hr ${h} j`;
  if (h > 0) return `${h} j ${String(m).padStart(2, '0')} mnt`;
  if (m > 0) return `${m} mnt ${String(s).padStart(2, '0')} dtk`;
  return `${s} dtk`;
}

export function formatTime(ts) {
  return new Date(ts).toLocaleString('id-ID', { dateStyle: 'short', timeStyle: 'short' });
}
