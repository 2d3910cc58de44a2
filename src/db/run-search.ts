// The one engine-specific piece of the runs log: how "search_text contains s" uses each engine's index.
// SQLite: the FTS5 trigram table (migration 0003); PostgreSQL: ILIKE over the pg_trgm GIN index of
// `run_search_terms` (0011: off `runs`, whose every status change would otherwise re-index the text).
// Searches shorter than three characters have no trigram to look up; they are a plain substring test
// over the automation's runs (read in the log index's order, so a first page stays cheap).
//
// On SQLite the FTS plan starts from every match (of every automation) and looks each run up by id:
// fine for a rare fragment, 0.3–0.5 s for one matching tens of thousands of runs. A common fragment is
// therefore tested row by row while walking the automation's runs newest first (the page stops after
// `limit` matches, a handful of rows when the fragment is common). Which one is common, FTS5 tells in
// well under a millisecond by counting its own matches up to a bound (`isCommonSearch`).
// PostgreSQL's planner makes this choice itself, from the column statistics (see `searchCondition`).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Engine } from './connect.js';
import { searchLength, TRIGRAM_MIN_LENGTH } from '../runs/search-text.js';

/** How a search is matched: through the trigram index, or by testing each row read (`scan`). */
export type SearchPlan = 'index' | 'scan';

/** More FTS matches than this (over all automations) make a fragment common (SQLite: scan in log order). */
export const COMMON_SEARCH_MATCHES = 2000;

/** An FTS5 phrase: the whole search as one quoted string (quotes doubled), matched as a substring. */
function ftsPhrase(search: string): string {
  return `"${search.replaceAll('"', '""')}"`;
}

/** A LIKE pattern matching `search` anywhere, with LIKE's own characters escaped. */
function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Whether the search can use the trigram index at all (three characters or more). */
export function hasTrigram(search: string): boolean {
  return searchLength(search) >= TRIGRAM_MIN_LENGTH;
}

/**
 * SQLite: whether more than `COMMON_SEARCH_MATCHES` runs (of any automation) contain `search`, counted
 * by FTS5 alone (its row ids, no run lookups), so bounded to ~1 ms. Always false elsewhere.
 */
export async function isCommonSearch(db: Db, engine: Engine, search: string): Promise<boolean> {
  if (engine !== 'sqlite' || !hasTrigram(search)) return false;
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from (
      select 1 from run_search where run_search match ${ftsPhrase(search)} limit ${COMMON_SEARCH_MATCHES + 1}
    )`.execute(db);
  return Number(rows[0]?.n ?? 0) > COMMON_SEARCH_MATCHES;
}

/** True when `runs.search_text` contains `search` (already normalised by `normalizeSearch`). */
export function searchCondition(
  engine: Engine,
  search: string,
  plan: SearchPlan = 'index',
): RawBuilder<SqlBool> {
  if (engine === 'postgres') {
    const pattern = containsPattern(search);
    // Both tests, so the planner keeps both plans of one indexed table: a rare fragment starts from
    // run_search_terms' trigram index and looks its runs up by id; a common one walks the automation's
    // runs in log order, testing each row's own search_text and looking up only the matches. (The
    // subquery alone probes run_search_terms for every run read: "berg" over 1 M runs, counts: 39 000
    // probes for 1 001 matches, 110× the buffers of the one-table plan; with both tests 5×.)
    if (plan === 'index' && hasTrigram(search)) {
      return sql<SqlBool>`runs.search_text ilike ${pattern} and runs.id in (
        select run_search_terms.run_id from run_search_terms where run_search_terms.search_text ilike ${pattern})`;
    }
    return sql<SqlBool>`runs.search_text ilike ${pattern}`;
  }
  if (plan === 'index' && hasTrigram(search)) {
    return sql<SqlBool>`runs.id in (select run_search.run_id from run_search where run_search match ${ftsPhrase(search)})`;
  }
  return sql<SqlBool>`instr(runs.search_text, ${search}) > 0`;
}
