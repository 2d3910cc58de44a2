// The one engine-specific piece of the runs log: how "search_text contains s" uses each engine's index.
// SQLite: the FTS5 trigram table (migration 0003); PostgreSQL: ILIKE over the pg_trgm GIN index of
// `run_search_terms` (0011: off `runs`, whose every status change would otherwise re-index the text).
// Searches shorter than three characters have no trigram to look up; they are a plain substring test
// over the automation's runs (read in the log index's order, so a first page stays cheap).
//
// Each engine's trigram index is best for a rare fragment: start from its matches (of every
// automation), look each run up by id. For one matching tens of thousands of runs that is 0.3–0.5 s
// on SQLite (its FTS table) and 0.1–0.4 s on PostgreSQL (run_search_terms); a common fragment is therefore
// tested row by row while walking the automation's runs newest first (the page stops after `limit`
// matches, a handful of rows when the fragment is common). Which one is common (`isCommonSearch`): on
// SQLite the FTS index counts its own matches up to a bound (well under a millisecond); on PostgreSQL the
// fragment is tried on the automation's newest runs. (PostgreSQL's planner used to choose by itself while
// the trigram index was on `runs`; across two tables it cannot: given both tests it multiplies their
// selectivities, estimates a common fragment 20× too rare, and hash-joins every match: 1.4 s.)
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Engine } from './connect.js';
import { searchLength, TRIGRAM_MIN_LENGTH } from '../runs/search-text.js';

/** How a search is matched: through the trigram index, or by testing each row read (`scan`). */
export type SearchPlan = 'index' | 'scan';

/** SQLite: more FTS matches than this (over all automations) make a fragment common: scan in log order. */
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

/** PostgreSQL: the automation's newest runs a fragment is tried on, and the matches there that make it common. */
export const COMMON_SAMPLE_ROWS = 2000;
export const COMMON_SAMPLE_MATCHES = 50;

/**
 * Whether `search` is common, so that testing runs in log order (`scan`) beats the trigram index. False
 * for searches too short for a trigram (they are always a scan).
 * - SQLite: more than `COMMON_SEARCH_MATCHES` runs (of any automation) match, counted by FTS5 alone
 *   (its row ids, no run lookups): ~1 ms.
 * - PostgreSQL: at least `COMMON_SAMPLE_MATCHES` of the automation's newest `COMMON_SAMPLE_ROWS` runs
 *   match — a first page then fills within those rows. Read through the log index and bounded to a few
 *   milliseconds whatever the fragment; counting its matches in the GIN index instead costs 30–45 ms for one
 *   whose trigrams are everywhere (".no"), and the planner cannot judge it across the two tables.
 */
export async function isCommonSearch(
  db: Db,
  engine: Engine,
  search: string,
  automationId: string,
): Promise<boolean> {
  if (!hasTrigram(search)) return false;
  if (engine === 'postgres') {
    const { rows } = await sql<{ n: string }>`
      select count(*) filter (where r.search_text ilike ${containsPattern(search)}) as n from (
        select search_text from runs where automation_id = ${automationId}
        order by created_at desc, id desc limit ${COMMON_SAMPLE_ROWS}
      ) as r`.execute(db);
    return Number(rows[0]?.n ?? 0) >= COMMON_SAMPLE_MATCHES;
  }
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
    if (plan === 'index' && hasTrigram(search)) {
      return sql<SqlBool>`runs.id in (select run_search_terms.run_id from run_search_terms
        where run_search_terms.search_text ilike ${pattern})`;
    }
    return sql<SqlBool>`runs.search_text ilike ${pattern}`;
  }
  if (plan === 'index' && hasTrigram(search)) {
    return sql<SqlBool>`runs.id in (select run_search.run_id from run_search where run_search match ${ftsPhrase(search)})`;
  }
  return sql<SqlBool>`instr(runs.search_text, ${search}) > 0`;
}
