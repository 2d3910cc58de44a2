// Hooks the delivery engine calls inside its completion transaction, so side effects that must not
// be lost (failure e-mails in the notifications outbox) commit together with the run states.
import type { Db } from '../db/connect.js';

export interface FailedRunEvent {
  runId: string;
  automationId: string;
  at: number;
  errorCode: string | null;
}

export interface AutomationDisabledEvent {
  automationId: string;
  reason: 'failures' | 'gone';
  at: number;
  /** The attempt that tipped it over. */
  lastError: { code: string | null; message: string | null; hint: string | null; statusCode: number | null };
}

export interface AutomationAtRiskEvent {
  automationId: string;
  /** The failure streak now, and the streak that would disable the automation. */
  streak: number;
  disableAt: number;
  at: number;
  /** The latest failed run's error. */
  lastError: AutomationDisabledEvent['lastError'];
}

export interface DeliveryEvents {
  runsFailed(trx: Db, events: FailedRunEvent[]): Promise<void>;
  automationDisabled(trx: Db, event: AutomationDisabledEvent): Promise<void>;
  /** The failure streak reached the warning point (once per streak, never beside a disable). */
  automationAtRisk(trx: Db, event: AutomationAtRiskEvent): Promise<void>;
}

/** No side effects (the engine works alone until the notifications feature plugs in). */
export const noDeliveryEvents: DeliveryEvents = {
  runsFailed: async () => {},
  automationDisabled: async () => {},
  automationAtRisk: async () => {},
};
