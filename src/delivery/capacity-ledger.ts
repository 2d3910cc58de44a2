// The dispatcher's books: per automation, the runs this process has claimed and is holding (claimed, not
// yet sent), sending (a request in flight) and ended (the attempt is over, its record not yet written —
// still `running` in the database). Runs enter only through a claim, and leave when released or recorded.
//
// Invariants (checked by `check`, property-tested in capacity-ledger.test.ts):
//   I1  every count is an integer ≥ 0, and an automation with all counts 0 has no entry;
//   I2  the totals are the sums over automations;
//   I3  sending(a) ≤ limits.sendingPerAutomation and totals.sending ≤ limits.sending (the fairness caps);
//   I4  held(a) + sending(a) ≤ limits.perAutomation, and totals.held + totals.sending ≤ limits.held
//       (claims are only made within `roomFor` / `freeToHold`).

export interface LedgerLimits {
  /** Requests in flight per automation (SVARBUD_MAX_IN_FLIGHT_PER_AUTOMATION). */
  sendingPerAutomation: number;
  /** Requests in flight in this process. */
  sending: number;
  /** Runs an automation may have claimed here and not yet ended (in flight plus held ready). */
  perAutomation: number;
  /** Runs this process may have claimed and not yet ended. */
  held: number;
}

export interface Counts {
  held: number;
  sending: number;
  ended: number;
}

const zero = (): Counts => ({ held: 0, sending: 0, ended: 0 });

export class CapacityLedger {
  private readonly per = new Map<string, Counts>();
  readonly totals: Counts = zero();

  constructor(readonly limits: LedgerLimits) {}

  counts(automationId: string): Readonly<Counts> {
    return this.per.get(automationId) ?? zero();
  }

  /** How many more runs of the automation may be claimed here now (I4). */
  roomFor(automationId: string): number {
    const c = this.counts(automationId);
    return Math.max(0, this.limits.perAutomation - c.held - c.sending);
  }

  /** How many more runs this process may claim now (I4). */
  freeToHold(): number {
    return Math.max(0, this.limits.held - this.totals.held - this.totals.sending);
  }

  /** Runs claimed: held until they are sent. */
  claimed(automationId: string, n = 1): void {
    this.add(automationId, 'held', n);
  }

  /** Whether a held run of the automation may start sending now (I3). */
  canSend(automationId: string): boolean {
    const c = this.counts(automationId);
    return (
      c.held > 0 && c.sending < this.limits.sendingPerAutomation && this.totals.sending < this.limits.sending
    );
  }

  /** A held run starts sending. */
  startSend(automationId: string): void {
    if (!this.canSend(automationId)) throw new Error(`ledger: ${automationId} may not start a send now`);
    this.add(automationId, 'held', -1);
    this.add(automationId, 'sending', 1);
  }

  /** A send ended; its record is not written yet. */
  endSend(automationId: string): void {
    this.add(automationId, 'sending', -1);
    this.add(automationId, 'ended', 1);
  }

  /** Ended runs were recorded (or their record was fenced out): they leave the books. */
  recorded(automationId: string, n = 1): void {
    this.add(automationId, 'ended', -n);
  }

  /** Held runs leave without being sent (released to the queue, or nothing left to send). */
  dropHeld(automationId: string, n = 1): void {
    this.add(automationId, 'held', -n);
  }

  private add(automationId: string, field: keyof Counts, n: number): void {
    if (n === 0) return;
    const c = this.per.get(automationId) ?? zero();
    if (c[field] + n < 0) throw new Error(`ledger: ${field} of ${automationId} would go below 0`);
    c[field] += n;
    this.totals[field] += n;
    if (c.held === 0 && c.sending === 0 && c.ended === 0) this.per.delete(automationId);
    else this.per.set(automationId, c);
  }

  /** Throws if an invariant does not hold (tests; cheap enough to call after every step there). */
  check(): void {
    const sum = zero();
    for (const [id, c] of this.per) {
      for (const k of ['held', 'sending', 'ended'] as const) {
        if (!Number.isInteger(c[k]) || c[k] < 0) throw new Error(`I1: ${k} of ${id} is ${c[k]}`);
        sum[k] += c[k];
      }
      if (c.held + c.sending + c.ended === 0) throw new Error(`I1: empty entry for ${id}`);
      if (c.sending > this.limits.sendingPerAutomation) throw new Error(`I3: ${id} sends ${c.sending}`);
      if (c.held + c.sending > this.limits.perAutomation) throw new Error(`I4: ${id} holds too many`);
    }
    for (const k of ['held', 'sending', 'ended'] as const) {
      if (sum[k] !== this.totals[k]) throw new Error(`I2: total ${k} ${this.totals[k]} ≠ ${sum[k]}`);
    }
    if (this.totals.sending > this.limits.sending) throw new Error(`I3: ${this.totals.sending} in flight`);
    if (this.totals.held + this.totals.sending > this.limits.held) throw new Error('I4: holding too many');
  }
}
