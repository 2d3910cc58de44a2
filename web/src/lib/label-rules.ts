// The data label rules of SPEC §4, checked as the owner types (the API checks them again on save).
// Mirrors src/surveys/labels.ts: uniqueness is judged on the whole batch, case-insensitively, against
// other variables' data labels and auto labels.
import type { Variable } from './types';

export type LabelRule = 'TOO_LONG' | 'INVALID_CHARACTERS' | 'RESERVED' | 'DUPLICATE';
export const MAX_DATA_LABEL = 100;
const CHARACTERS = /^[A-Za-z0-9_]+$/;
const RESERVED = /^q\d+(_\d+)?$/i;

/** Every rule each variable's label breaks, given the labels typed so far ("" = use the auto label). */
export function checkLabels(variables: Variable[], typed: Record<string, string>): Map<string, LabelRule[]> {
  const holders = new Map<string, string[]>();
  const hold = (label: string, id: string) => {
    const k = label.toLowerCase();
    holders.set(k, [...(holders.get(k) ?? []), id]);
  };
  for (const v of variables) {
    hold(v.autoLabel, v.id);
    const label = typed[v.id] ?? '';
    if (label !== '') hold(label, v.id);
  }
  const result = new Map<string, LabelRule[]>();
  for (const v of variables) {
    const label = typed[v.id] ?? '';
    if (label === '') continue;
    const broken: LabelRule[] = [];
    if (label.length > MAX_DATA_LABEL) broken.push('TOO_LONG');
    if (!CHARACTERS.test(label)) broken.push('INVALID_CHARACTERS');
    if (RESERVED.test(label)) broken.push('RESERVED');
    if ((holders.get(label.toLowerCase()) ?? []).some((id) => id !== v.id)) broken.push('DUPLICATE');
    if (broken.length > 0) result.set(v.id, broken);
  }
  return result;
}
