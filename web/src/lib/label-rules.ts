// The data label rules of SPEC §4, checked as the owner types (the API checks them again on save).
// The form rules are the server's own (src/shared/contract-rules.ts); uniqueness is judged as the
// server does: on the whole batch, case-insensitively, against other variables' data and auto labels.
import {
  dataLabelFormProblems,
  MAX_DATA_LABEL,
  type DataLabelFormRule,
} from '../../../src/shared/contract-rules';
import type { Variable } from './types';

export type LabelRule = DataLabelFormRule | 'DUPLICATE';
export { MAX_DATA_LABEL };

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
    const broken: LabelRule[] = dataLabelFormProblems(label);
    if ((holders.get(label.toLowerCase()) ?? []).some((id) => id !== v.id)) broken.push('DUPLICATE');
    if (broken.length > 0) result.set(v.id, broken);
  }
  return result;
}
