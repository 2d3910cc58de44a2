// The one cursor codec of every paged list. A cursor is the position of a page's last item
// (creation time and id, newest first), opaque to callers: base64url of `<ms>:<id>`.
import { invalidField } from './errors.js';

export interface ListPosition {
  createdAt: number;
  id: string;
}

/** The cursor of the page after `position`. */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(`${position.createdAt}:${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names (null without one); a 400 naming `cursor` for anything else. */
export function decodeCursor(cursor: string | undefined): ListPosition | null {
  if (cursor === undefined) return null;
  const match = /^(\d{1,16}):([A-Za-z0-9_]{1,100})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidField('cursor', 'is not a cursor from a previous page');
  return { createdAt: Number(match[1]), id: match[2]! };
}

/** Splits the `limit + 1` rows a store read into a page and the cursor of the next one. */
export function pageOf<T extends { createdAt: number; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
