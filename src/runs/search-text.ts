// What a run can be found by: the respondent's name and e-mail, lower-cased, in one column
// (`runs.search_text`). Anonymous runs have none, so no search — not even "anon" — finds them.

/** Separates name and e-mail so a match never spans both; searches never contain it. */
export const SEARCH_SEPARATOR = '\u001f';

/** Shortest search the trigram indexes serve; shorter ones are a substring test over the automation's runs. */
export const TRIGRAM_MIN_LENGTH = 3;

export const SEARCH_MAX_LENGTH = 200;

/** The searchable text of a run: `"first last<US>email"` lower-cased; "" for anonymous runs or no identity. */
export function searchTextOf(
  anonymous: boolean,
  r: { firstName: string | null; lastName: string | null; email: string | null },
): string {
  if (anonymous) return '';
  const name = [r.firstName, r.lastName].filter((s) => s && s.trim() !== '').join(' ');
  const text = `${name}${SEARCH_SEPARATOR}${r.email ?? ''}`.toLowerCase();
  return text === SEARCH_SEPARATOR ? '' : text;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * A search as it is matched: trimmed, control characters removed (they cannot be typed and would
 * let a match span name and e-mail), lower-cased the same way as `searchTextOf`; null when empty.
 */
export function normalizeSearch(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const text = raw.replace(CONTROL_CHARACTERS, '').trim().toLowerCase();
  return text === '' ? null : text;
}

/** Length in characters (not UTF-16 units), as the trigram tokenizers count. */
export function searchLength(search: string): number {
  return [...search].length;
}
