import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CapacityLedger, type LedgerLimits } from './capacity-ledger.js';

const limits: LedgerLimits = { sendingPerAutomation: 3, sending: 5, perAutomation: 6, held: 10 };
const AUTOMATIONS = ['a', 'b', 'c', 'd'];

// What the dispatcher does, as steps the ledger must survive in any order: claims only within the room
// the ledger grants, sends only what may be sent, ends only what is sending, records only what ended.
const step = fc.record({
  op: fc.constantFrom('claim', 'send', 'end', 'record', 'drop'),
  automation: fc.constantFrom(...AUTOMATIONS),
  n: fc.integer({ min: 1, max: 8 }),
});

describe('CapacityLedger', () => {
  it('keeps its invariants through any sequence of the dispatcher protocol', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const ledger = new CapacityLedger(limits);
        for (const { op, automation: a, n } of steps) {
          const c = ledger.counts(a);
          if (op === 'claim') {
            const k = Math.min(n, ledger.roomFor(a), ledger.freeToHold());
            if (k > 0) ledger.claimed(a, k);
          } else if (op === 'send') {
            if (ledger.canSend(a)) ledger.startSend(a);
          } else if (op === 'end') {
            if (c.sending > 0) ledger.endSend(a);
          } else if (op === 'record') {
            const k = Math.min(n, c.ended);
            if (k > 0) ledger.recorded(a, k);
          } else {
            const k = Math.min(n, c.held);
            if (k > 0) ledger.dropHeld(a, k);
          }
          ledger.check();
        }
      }),
    );
  });

  it('grants no room beyond the per-automation allowance or the process total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...AUTOMATIONS), fc.nat(12)), { maxLength: 40 }),
        (claims) => {
          const ledger = new CapacityLedger(limits);
          for (const [a, n] of claims) {
            const k = Math.min(n, ledger.roomFor(a), ledger.freeToHold());
            if (k > 0) ledger.claimed(a, k);
            expect(ledger.counts(a).held).toBeLessThanOrEqual(limits.perAutomation);
            expect(ledger.totals.held).toBeLessThanOrEqual(limits.held);
          }
          ledger.check();
        },
      ),
    );
  });

  it('refuses a send beyond the caps and counts that go below zero', () => {
    const ledger = new CapacityLedger(limits);
    ledger.claimed('a', 5);
    for (let i = 0; i < 3; i++) ledger.startSend('a');
    expect(ledger.canSend('a')).toBe(false);
    expect(() => ledger.startSend('a')).toThrow(/may not start/);
    expect(() => ledger.recorded('a')).toThrow(/below 0/);
    ledger.endSend('a');
    expect(ledger.counts('a')).toEqual({ held: 2, sending: 2, ended: 1 });
    // An ended run no longer holds a sending slot, but still counts as running in the database.
    expect(ledger.canSend('a')).toBe(true);
    ledger.recorded('a');
    ledger.dropHeld('a', 2);
    ledger.endSend('a');
    ledger.endSend('a');
    ledger.recorded('a', 2);
    expect(ledger.counts('a')).toEqual({ held: 0, sending: 0, ended: 0 });
    expect(ledger.totals).toEqual({ held: 0, sending: 0, ended: 0 });
    ledger.check();
  });

  it('caps sends across automations at the process total', () => {
    const ledger = new CapacityLedger(limits);
    for (const a of ['a', 'b']) ledger.claimed(a, 3);
    for (let i = 0; i < 3; i++) ledger.startSend('a');
    ledger.startSend('b');
    ledger.startSend('b');
    expect(ledger.totals.sending).toBe(5);
    expect(ledger.canSend('b')).toBe(false);
    ledger.check();
  });
});
