// Label impact (SPEC §12) in words: the automations a change would alter — keys that would change,
// variables they would lose — as lines for the confirmation dialog, from the impact routes' answer
// or the data-labels list's usedBy.
import type { ChangeImpact, LabelledVariable } from '../lib/types';

/** The part of the translator these lines use (the screens pass `t` from useI18n). */
type Translate = (key: 'impact.loses' | 'impact.changes', values: Record<string, string>) => string;

/** One line per automation the change alters: "CRM feed: would no longer send Q1". */
export function impactLines(impact: ChangeImpact, t: Translate): string[] {
  return impact.automations.map((a) => {
    const parts = [
      ...(a.lostVariables.length
        ? [t('impact.loses', { labels: a.lostVariables.map((v) => v.label).join(', ') })]
        : []),
      ...a.changedKeys.map((c) => t('impact.changes', { from: c.from, to: c.to })),
    ];
    return `${a.name}: ${parts.join('; ')}`;
  });
}

/**
 * The automations whose keys a data-label change alters: for each changed variable, those that carry
 * it under its data label (usedBy), with the key it had and the key it gets.
 */
export function dataLabelLines(
  variables: LabelledVariable[],
  changes: Record<string, string | null>,
  t: Translate,
): string[] {
  const byAutomation = new Map<string, { name: string; changes: string[] }>();
  for (const v of variables) {
    if (!(v.id in changes)) continue;
    const to = changes[v.id] || v.autoLabel;
    if (to === v.label) continue;
    for (const u of v.usedBy) {
      const entry = byAutomation.get(u.automationId) ?? { name: u.name, changes: [] };
      entry.changes.push(t('impact.changes', { from: v.label, to }));
      byAutomation.set(u.automationId, entry);
    }
  }
  return [...byAutomation.values()].map((a) => `${a.name}: ${a.changes.join('; ')}`);
}
