// The one engine-specific piece of the runs log: how "search_text contains s" uses each engine's index
// (migration 0003). SQLite: the FTS5 trigram table; PostgreSQL: ILIKE over the pg_trgm GIN index.
// Searches shorter than three characters have no trigram to look up; they are a plain substring test
// over the automation's runs (read in the log index's order, so a first page stays cheap).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Engine } from '../db/connect.js';
import { searchLength, TRIGRAM_MIN_LENGTH } from './search-text.js';

/** An FTS5 phrase: the whole search as one quoted string (quotes doubled), matched as a substring. */
function ftsPhrase(search: string): string {
  return `"${search.replaceAll('"', '""')}"`;
}

/** A LIKE pattern matching `search` anywhere, with LIKE's own characters escaped. */
function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** True when `runs.search_text` contains `search` (already normalised by `normalizeSearch`). */
export function searchCondition(engine: Engine, search: string): RawBuilder<SqlBool> {
  if (engine === 'postgres') {
    return sql<SqlBool>`runs.search_text ilike ${containsPattern(search)}`;
  }
  if (searchLength(search) >= TRIGRAM_MIN_LENGTH) {
    return sql<SqlBool>`runs.id in (select run_search.run_id from run_search where run_search match ${ftsPhrase(search)})`;
  }
  return sql<SqlBool>`instr(runs.search_text, ${search}) > 0`;
}
