// The zod pieces every route shares: ids, stored text, paging, times, and the shapes of the answers
// they build. One definition each, so the routes, the OpenAPI document and the typed client agree.
import { z } from 'zod';
import { noNul, NUL } from './text-rules.js';

/** An id in a URL or body: 1–100 characters, no NUL (PostgreSQL text cannot hold U+0000). */
export const idSchema = z.string().min(1).max(100).refine(noNul, NUL);

/** An unguessable token in a URL (respondent page, inbox): 1–200 characters, no NUL. */
export const tokenSchema = z.string().min(1).max(200).refine(noNul, NUL);

/** Text the API stores: trimmed, `min`–`max` characters, no NUL. */
export function storedText(min: number, max: number) {
  return z.string().trim().min(min).max(max).refine(noNul, NUL);
}

export const idParams = z.object({ id: idSchema });

/** `?limit&cursor` of every paged list: limit 1–100 (default 50), the cursor opaque. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(400).optional(),
});

/** A time in an answer: ISO 8601 UTC, e.g. `2026-01-15T12:00:00.000Z`. */
export const isoTime = z.string().meta({ format: 'date-time' });

/** `{items, nextCursor}`: one page of a list, newest first; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** `{items}`: a whole (short) list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

/** The answer of a route that succeeds with nothing to say (204). */
export const noContent = z.null().describe('Done; no content.');
