import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planClaims } from './claim-plan.js';

describe('planClaims', () => {
  it('never takes more than the claim limit, nor more than an automation has room for', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 20 }),
        fc.array(fc.nat(15), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(100),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(50),
        (ids, runningCounts, cap, limit, minBatch, offset) => {
          const running = new Map(ids.map((id, i) => [id, runningCounts[i] ?? 0]));
          const plan = planClaims(ids, running, { cap, limit, minBatch, offset, ended: () => 0 });
          expect(plan.claims.reduce((n, c) => n + c.k, 0)).toBeLessThanOrEqual(limit);
          for (const c of plan.claims) {
            expect(c.k).toBeGreaterThan(0);
            expect(c.k).toBeLessThanOrEqual(cap - (running.get(c.id) ?? 0));
          }
          for (const id of plan.capped) {
            const r = running.get(id) ?? 0;
            expect(cap - r).toBeLessThan(r > 0 ? minBatch : 1);
          }
        },
      ),
    );
  });

  it('does not count ended-but-unrecorded runs against the cap, and rotates who goes first', () => {
    const running = new Map([
      ['a', 10],
      ['b', 0],
    ]);
    const capped = planClaims(['a', 'b'], running, {
      cap: 10,
      limit: 5,
      minBatch: 3,
      offset: 0,
      ended: () => 0,
    });
    expect(capped.capped).toEqual(['a']);
    const freed = planClaims(['a', 'b'], running, {
      cap: 10,
      limit: 5,
      minBatch: 3,
      offset: 0,
      ended: (id) => (id === 'a' ? 4 : 0),
    });
    expect(freed.claims).toEqual([
      { id: 'a', k: 4 },
      { id: 'b', k: 1 },
    ]);
    const rotated = planClaims(['a', 'b'], new Map(), {
      cap: 10,
      limit: 5,
      minBatch: 3,
      offset: 1,
      ended: () => 0,
    });
    expect(rotated.claims[0]!.id).toBe('b');
  });
});
