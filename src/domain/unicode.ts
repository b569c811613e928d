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
 * null when there is none. Walks arrays and objects; numbers, booleans and null are always fine.
 */
export function findIllFormedText(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findIllFormedText(item, `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isWellFormed(key)) return path;
    const found = findIllFormedText(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
