// `svarbud backup <file>`: a consistent copy of a live SQLite database through SQLite's online backup
// API (better-sqlite3's `backup`), safe while `serve` writes to it. The copy is written beside the
// target and renamed into place, so a half-written file never carries the target's name; it is
// private to this user (0600) and checked before it is kept.
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

export interface BackupResult {
  pages: number;
  bytes: number;
  /** `ok`, or what `pragma quick_check` found. */
  check: string;
}

export async function backupSqlite(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`No database at ${source}.`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  // The copy is as private as the database: create it 0600 before SQLite writes into it.
  closeSync(openSync(partial, 'w', 0o600));
  const db = new BetterSqlite3(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    let pages = 0;
    // SQLite restarts a backup when another connection (the running server) writes between two
    // steps; after the first step the rest goes in one step, under one read snapshot (WAL readers do
    // not block the writer), so a busy server cannot keep the copy from finishing.
    await db.backup(partial, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        return totalPages + 1000;
      },
    });
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    let check: string;
    try {
      const rows = copy.pragma('quick_check') as { quick_check: string }[];
      check = rows.map((r) => r.quick_check).join('; ');
      pages = Number(copy.pragma('page_count', { simple: true }));
    } finally {
      copy.close();
    }
    if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${check}`);
    for (const extra of [`${partial}-wal`, `${partial}-shm`]) rmSync(extra, { force: true });
    renameSync(partial, target);
    chmodSync(target, 0o600);
    return { pages, bytes: statSync(target).size, check };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}
