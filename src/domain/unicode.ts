/**
 * Well-formed text. A JavaScript string may hold a lone surrogate (JSON's "\ud800" decodes to one); UTF-8
 * cannot encode it, so the driver stores U+FFFD instead and two different inputs become one value (two
 * idempotency keys collide). Such strings are refused at the boundary, naming where they were found.
 */

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` is well-formed UTF-16 (what String.prototype.isWellFormed answers on newer runtimes). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * The dotted path (from `path`) of the first string or object key in `value` that is not well-formed, or
 * null when there is none. Walks arrays and objects with a stack of its own, so no nesting depth can
 * overflow the call stack; numbers, booleans and null are always fine.
 */
export function findIllFormedText(value: unknown, path: string): string | null {
  const pending: Array<[unknown, string]> = [[value, path]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      if (!isWellFormed(item)) return at;
      continue;
    }
    if (item === null || typeof item !== 'object') continue;
    const entries = Array.isArray(item)
      ? item.map((child, i) => [String(i), child] as const)
      : Object.entries(item);
    // Pushed in reverse so the first entry is looked at first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (!isWellFormed(key)) return at;
      pending.push([child, `${at}.${key}`]);
    }
  }
  return null;
}
