// Label impact in words: the lines the confirmation dialog lists for a deletion (from the impact
// routes) and for a data-label change (from usedBy), naming each automation once.
import { describe, expect, it } from 'vitest';
import type { LabelledVariable } from '../lib/types';
import { dataLabelLines, impactLines } from './label-impact';

// The English texts, so the lines read as the UI shows them.
const TEXTS: Record<string, string> = {
  'impact.loses': 'would no longer send {{labels}}',
  'impact.changes': 'key {{from}} becomes {{to}}',
};
const t = (key: string, values: Record<string, string>): string =>
  TEXTS[key]!.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));

const variable = (
  id: string,
  autoLabel: string,
  dataLabel: string | null,
  usedBy: string[],
): LabelledVariable => ({
  id,
  kind: 'question',
  text: id,
  autoLabel,
  dataLabel,
  label: dataLabel ?? autoLabel,
  questionId: null,
  usedBy: usedBy.map((name) => ({ automationId: `aut_${name}`, name })),
});

describe('label impact lines', () => {
  it('names what each automation would lose and which keys would move', () => {
    expect(
      impactLines(
        {
          automations: [
            {
              automationId: 'aut_1',
              name: 'CRM',
              lostVariables: [
                { id: 'v1', label: 'Q2' },
                { id: 'v2', label: 'dept' },
              ],
              changedKeys: [{ variableId: 'v3', from: 'Q3', to: 'Q2' }],
            },
          ],
        },
        t,
      ),
    ).toEqual(['CRM: would no longer send Q2, dept; key Q3 becomes Q2']);
  });

  it('lists the automations whose keys a data-label change moves, once each', () => {
    const vars = [
      variable('v1', 'Q1', 'colour', ['CRM', 'Archive']),
      variable('v2', 'Q2', null, ['CRM']),
      variable('v3', 'Q3', 'size', ['CRM']),
    ];
    // v1 renamed, v2 gets a data label, v3 cleared back to its auto label.
    expect(dataLabelLines(vars, { v1: 'favourite', v2: 'comments', v3: null }, t)).toEqual([
      'CRM: key colour becomes favourite; key Q2 becomes comments; key size becomes Q3',
      'Archive: key colour becomes favourite',
    ]);
    // No change of the effective label, no line; an unused variable, no line.
    expect(dataLabelLines(vars, { v2: 'Q2' }, t)).toEqual([]);
    expect(dataLabelLines([variable('v9', 'Q9', null, [])], { v9: 'x' }, t)).toEqual([]);
  });
});
