// How many runs of each automation a claim takes: the fairness cap counted across every dispatcher
// (runs `running` in the database), this process's free capacity, and batching (an automation with
// sends of its own under way waits for a few free slots, so one claim serves several runs). Pure.
import type { ClaimPlan } from '../db/run-queue.js';

export interface PlanOptions {
  /** Runs an automation may have running (claimed and not yet recorded), all dispatchers together. */
  cap: number;
  /** Most runs this claim may take in all (this process's free capacity). */
  limit: number;
  /** With sends of its own in flight, an automation is claimed for only if at least this many fit. */
  minBatch: number;
  /** Rotates which automation is served first when capacity is short. */
  offset: number;
  /** This process's ended-but-unrecorded runs of the automation: `running` in the database, no longer in flight. */
  ended(automationId: string): number;
}

function rotate<T>(items: readonly T[], offset: number): T[] {
  if (items.length === 0) return [];
  const k = offset % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function planClaims(
  automations: readonly string[],
  running: ReadonlyMap<string, number>,
  o: PlanOptions,
): ClaimPlan {
  let left = o.limit;
  const plan: ClaimPlan = { claims: [], capped: [] };
  for (const id of rotate(automations, o.offset)) {
    const inFlight = Math.max(0, (running.get(id) ?? 0) - o.ended(id));
    const room = o.cap - inFlight;
    const worth = inFlight > 0 ? o.minBatch : 1;
    if (room < worth) {
      plan.capped.push(id);
      continue;
    }
    if (left <= 0) continue;
    const k = Math.min(left, room);
    plan.claims.push({ id, k });
    left -= k;
  }
  return plan;
}
