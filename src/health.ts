// Readiness that tells the truth: every background loop a process runs (dispatcher, mail sender,
// retention sweeper) reports each turn of its loop here; `/readyz` reports each part with its state,
// and 503 when one is down (its last turn failed, or it stopped) or stuck (no turn for longer than its
// loop can legitimately take).
import { sql } from 'kysely';
import type { Clock } from './clock.js';
import { MINUTE, SECOND } from './config.js';
import type { Db } from './db/connect.js';

export type PartName = 'dispatcher' | 'mailSender' | 'sweeper';

/** After this long without a turn a part counts as stuck (its loop's longest legitimate turn, with room). */
export const STUCK_AFTER_MS: Record<PartName, number> = {
  // Turns at least every poll interval (1 s); a turn's queries fail within the pool's connect timeout.
  dispatcher: 30 * SECOND,
  // A turn sends every due mail; the mail lease (10 min) bounds a batch of 10 slow SMTP exchanges.
  mailSender: 11 * MINUTE,
  // Every minute, and every batch of a long sweep reports too.
  sweeper: 3 * MINUTE,
};

export interface PartCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: Partial<Record<'database' | PartName, PartCheck>>;
}

interface PartState {
  lastTurnAt: number;
  turns: number;
  error: string | null;
  stopped: boolean;
}

/** What a loop calls: `turn()` after a good turn, `turn(err)` after a failed one, `stopped()` at the end. */
export interface PartReporter {
  turn(error?: unknown): void;
  stopped(): void;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export class Health {
  private readonly parts = new Map<PartName, PartState>();

  constructor(
    private readonly clock: Clock,
    private readonly stuckAfterMs: Record<PartName, number> = STUCK_AFTER_MS,
  ) {}

  /** A part this process runs; it counts as alive from now until its first turn is overdue. */
  register(name: PartName): PartReporter {
    const state: PartState = { lastTurnAt: this.clock.now(), turns: 0, error: null, stopped: false };
    this.parts.set(name, state);
    return {
      turn: (error?: unknown) => {
        state.lastTurnAt = this.clock.now();
        state.turns += 1;
        state.error = error === undefined || error === null ? null : describe(error);
      },
      stopped: () => {
        state.stopped = true;
      },
    };
  }

  /** The state of every registered part, without touching the database. */
  partChecks(): Partial<Record<PartName, PartCheck>> {
    const now = this.clock.now();
    const out: Partial<Record<PartName, PartCheck>> = {};
    for (const [name, s] of this.parts) {
      const since = Math.max(0, now - s.lastTurnAt);
      const ago = `${(since / 1000).toFixed(1)} s ago`;
      if (s.stopped) out[name] = { ok: false, detail: 'stopped' };
      else if (since > this.stuckAfterMs[name])
        out[name] = {
          ok: false,
          detail: `stuck: last turn ${ago} (expected within ${this.stuckAfterMs[name] / 1000} s)`,
        };
      else if (s.error) out[name] = { ok: false, detail: `last turn failed (${ago}): ${s.error}` };
      else out[name] = { ok: true, detail: s.turns === 0 ? 'starting' : `last turn ${ago}` };
    }
    return out;
  }
}

/** Readiness of the whole process: the database answers, and every part it runs is alive. */
export async function checkReadiness(db: Db, health: Health | null): Promise<Readiness> {
  let database: PartCheck;
  try {
    await sql`select 1`.execute(db);
    database = { ok: true, detail: 'reachable' };
  } catch (err) {
    database = { ok: false, detail: `not reachable: ${describe(err)}` };
  }
  const checks = { database, ...(health?.partChecks() ?? {}) };
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? 'ready' : 'unavailable', checks };
}
