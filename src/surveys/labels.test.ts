import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDataLabels,
  autoLabels,
  baseBackgroundLabel,
  effectiveLabels,
  QUESTION_LABEL_FORM,
  validateDataLabels,
  type DataLabelChanges,
} from './labels.js';
import {
  SYSTEM_VARIABLES,
  variablesOf,
  type BackgroundVariableDef,
  type QuestionDef,
  type SurveyDefinition,
} from './survey-model.js';

let seq = 0;
const id = (prefix: string) => `${prefix}_${++seq}`;

function background(name: string, dataLabel: string | null = null): BackgroundVariableDef {
  return { id: id('var'), name, system: null, dataLabel };
}

function systemVariables(): BackgroundVariableDef[] {
  return SYSTEM_VARIABLES.map((s) => ({ id: id('var'), name: s.name, system: s.system, dataLabel: null }));
}

function question(type: QuestionDef['type'], extra: Partial<QuestionDef> = {}): QuestionDef {
  const choice = type === 'single_choice' || type === 'multiple_choice' || type === 'matrix';
  return {
    id: id('qst'),
    type,
    text: `A ${type} question`,
    options: choice ? [1, 2].map((code) => ({ id: id('opt'), text: `Option ${code}`, code })) : [],
    rows:
      type === 'matrix'
        ? [1, 2].map((n) => ({ id: id('row'), text: `Row ${n}`, variableId: id('var'), dataLabel: null }))
        : [],
    min: type === 'scale' ? 1 : null,
    max: type === 'scale' ? 5 : null,
    variableId: type === 'matrix' ? null : id('var'),
    dataLabel: null,
    ...extra,
  };
}

function survey(names: string[], questions: QuestionDef[] = [], anonymous = false): SurveyDefinition {
  return {
    backgroundVariables: [...(anonymous ? [] : systemVariables()), ...names.map((n) => background(n))],
    questions,
  };
}

/** Label of the custom background variable `index` (after the system ones). */
function bgLabel(def: SurveyDefinition, index: number): string {
  const custom = def.backgroundVariables.filter((b) => b.system === null);
  return autoLabels(def).get(custom[index]!.id)!;
}

const nameArb = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('Q1', 'q2_3', 'Avdeling', 'avdeling', 'Email', 'FirstName', '', '---', 'Æøå', 'BG'),
);
const typeArb = fc.constantFrom(
  'single_choice',
  'multiple_choice',
  'text',
  'number',
  'scale',
  'date',
  'matrix',
) as fc.Arbitrary<QuestionDef['type']>;
const defArb = fc
  .record({
    names: fc.array(nameArb, { maxLength: 12 }),
    types: fc.array(typeArb, { maxLength: 8 }),
    anonymous: fc.boolean(),
  })
  .map(({ names, types, anonymous }) =>
    survey(
      names,
      types.map((t) => question(t)),
      anonymous,
    ),
  );

describe('auto labels', () => {
  it('are unique case-insensitively, use only A–Z a–z 0–9 _, and cover every variable', () => {
    fc.assert(
      fc.property(defArb, (def) => {
        const labels = autoLabels(def);
        const variables = variablesOf(def);
        expect(labels.size).toBe(variables.length);
        for (const v of variables) expect(labels.get(v.id)).toMatch(/^[A-Za-z0-9_]+$/);
        const lower = [...labels.values()].map((l) => l.toLowerCase());
        expect(new Set(lower).size).toBe(lower.length);
      }),
    );
  });

  it('never give a background variable the question form, and stay within 90 characters before a suffix', () => {
    fc.assert(
      fc.property(defArb, (def) => {
        const labels = autoLabels(def);
        for (const bg of def.backgroundVariables) {
          const label = labels.get(bg.id)!;
          expect(QUESTION_LABEL_FORM.test(label)).toBe(false);
          expect(label.replace(/_\d+$/, '').length).toBeLessThanOrEqual(90);
        }
      }),
    );
  });

  it('give a custom background variable its transliterated name, or that name with _2, _3 … on a collision', () => {
    fc.assert(
      fc.property(defArb, (def) => {
        const labels = autoLabels(def);
        for (const bg of def.backgroundVariables) {
          if (bg.system !== null) continue;
          const base = baseBackgroundLabel(bg.name);
          const label = labels.get(bg.id)!;
          expect(label === base || new RegExp(`^${base}_\\d+$`).test(label)).toBe(true);
        }
      }),
    );
  });

  it('are deterministic: the same structure gives the same labels', () => {
    fc.assert(
      fc.property(defArb, (def) => {
        expect([...autoLabels(structuredClone(def))]).toEqual([...autoLabels(def)]);
      }),
    );
  });

  it('number questions by position and matrix rows by row', () => {
    const def = survey([], [question('text'), question('matrix'), question('scale')]);
    const labels = [...autoLabels(def).entries()]
      .filter(([vid]) => !def.backgroundVariables.some((b) => b.id === vid))
      .map(([, l]) => l);
    expect(labels).toEqual(['Q1', 'Q2_1', 'Q2_2', 'Q3']);
  });

  it('label the system variables FirstName, LastName, Email; anonymous surveys have none', () => {
    const def = survey([]);
    expect(def.backgroundVariables.map((b) => autoLabels(def).get(b.id))).toEqual([
      'FirstName',
      'LastName',
      'Email',
    ]);
    expect(autoLabels(survey([], [], true)).size).toBe(0);
  });

  it.each([
    ['Avdeling', 'Avdeling'],
    ['Kjønn', 'Kjonn'],
    ['Bosted år', 'Bosted_ar'],
    ['Særskilt', 'Saerskilt'],
    ['Café', 'Cafe'],
    ['Straße', 'Strasse'],
    ['ÆØÅ', 'AEOA'],
    ['Avdeling/Seksjon', 'Avdeling_Seksjon'],
    ['  --Team  lead!! ', 'Team_lead'],
    ['', 'BG'],
    ['%%%', 'BG'],
    ['Q1', 'BG_Q1'],
    ['q12_3', 'BG_q12_3'],
    ['Q 1', 'Q_1'],
    ['Q1a', 'Q1a'],
  ])('transliterate %j to %j', (name, expected) => {
    expect(baseBackgroundLabel(name)).toBe(expected);
    expect(bgLabel(survey([name]), 0)).toBe(expected);
  });

  it('cut long names to 90 characters without a trailing _', () => {
    expect(baseBackgroundLabel('a'.repeat(200))).toBe('a'.repeat(90));
    expect(baseBackgroundLabel(`${'a'.repeat(89)} b`)).toBe('a'.repeat(89));
  });

  it('add _2, _3 … on collisions, case-insensitively, also with the system labels', () => {
    const def = survey(['Avdeling', 'avdeling', 'Avdeling!', 'E-mail', 'email', 'Avdeling_2']);
    expect([0, 1, 2, 3, 4, 5].map((i) => bgLabel(def, i))).toEqual([
      'Avdeling',
      'avdeling_2',
      'Avdeling_3',
      'E_mail',
      'email_2',
      'Avdeling_2_2',
    ]);
  });
});

describe('data label rules', () => {
  const def = survey(['Department'], [question('single_choice'), question('matrix'), question('text')]);
  const [, , email, department] = def.backgroundVariables;
  const [choice, matrix, text] = def.questions;
  const codes = (changes: DataLabelChanges, d = def) =>
    validateDataLabels(d, changes).map((v) => [v.variableId, v.code]);

  it('accept valid labels for questions, matrix rows and background variables', () => {
    expect(
      validateDataLabels(def, {
        [choice!.variableId!]: 'satisfaction',
        [matrix!.rows[0]!.variableId]: 'rating_team',
        [department!.id]: 'dept',
        [email!.id]: 'mail_address',
        [text!.variableId!]: 'a'.repeat(100),
      }),
    ).toEqual([]);
  });

  it('TOO_LONG above 100 characters', () => {
    expect(codes({ [choice!.variableId!]: 'a'.repeat(101) })).toEqual([[choice!.variableId!, 'TOO_LONG']]);
  });

  it('INVALID_CHARACTERS outside A–Z a–z 0–9 _', () => {
    for (const label of ['with space', 'dash-ed', 'blåbær', 'semi;colon', ' lead']) {
      expect(codes({ [choice!.variableId!]: label })).toEqual([[choice!.variableId!, 'INVALID_CHARACTERS']]);
    }
  });

  it('RESERVED for the question form in any case', () => {
    for (const label of ['Q7', 'q12', 'Q3_2', 'q10_10']) {
      const found = codes({ [department!.id]: label });
      expect(found).toContainEqual([department!.id, 'RESERVED']);
    }
    expect(codes({ [department!.id]: 'Q7a' })).toEqual([]);
    expect(codes({ [department!.id]: 'QQ1' })).toEqual([]);
  });

  it("DUPLICATE against another variable's data label or auto label, case-insensitively", () => {
    const labelled = applyDataLabels(def, { [text!.variableId!]: 'improvement' });
    expect(codes({ [choice!.variableId!]: 'IMPROVEMENT' }, labelled)).toEqual([
      [choice!.variableId!, 'DUPLICATE'],
    ]);
    expect(codes({ [choice!.variableId!]: 'department' })).toEqual([[choice!.variableId!, 'DUPLICATE']]);
    expect(codes({ [choice!.variableId!]: 'EMAIL' })).toEqual([[choice!.variableId!, 'DUPLICATE']]);
    // Two variables given the same label in one batch: both are reported.
    expect(codes({ [choice!.variableId!]: 'same', [text!.variableId!]: 'Same' })).toEqual([
      [choice!.variableId!, 'DUPLICATE'],
      [text!.variableId!, 'DUPLICATE'],
    ]);
  });

  it('a label may equal its own auto label', () => {
    expect(codes({ [department!.id]: 'Department' })).toEqual([]);
  });

  it('judge uniqueness on the final state of the batch (swaps and moves are fine)', () => {
    const labelled = applyDataLabels(def, { [text!.variableId!]: 'a', [choice!.variableId!]: 'b' });
    expect(codes({ [text!.variableId!]: 'b', [choice!.variableId!]: 'a' }, labelled)).toEqual([]);
    expect(codes({ [text!.variableId!]: null, [choice!.variableId!]: 'a' }, labelled)).toEqual([]);
    expect(codes({ [choice!.variableId!]: 'a' }, labelled)).toEqual([[choice!.variableId!, 'DUPLICATE']]);
  });

  it('NOT_LABELABLE for answer options, a matrix question itself, its rows and question ids', () => {
    const ids = [choice!.options[0]!.id, matrix!.options[1]!.id, matrix!.id, matrix!.rows[0]!.id, choice!.id];
    const found = codes(Object.fromEntries(ids.map((i) => [i, 'label'])));
    expect(found).toEqual(ids.map((i) => [i, 'NOT_LABELABLE']));
  });

  it('UNKNOWN_VARIABLE for an id that is not in the survey', () => {
    expect(codes({ var_nope: 'label' })).toEqual([['var_nope', 'UNKNOWN_VARIABLE']]);
    expect(codes({ var_nope: null })).toEqual([['var_nope', 'UNKNOWN_VARIABLE']]);
  });

  it('report every violation of every variable, each with a message', () => {
    const found = validateDataLabels(def, {
      [choice!.variableId!]: `${'x'.repeat(100)}!`,
      [text!.variableId!]: 'Q1',
      var_nope: 'ok',
    });
    expect(found.map((v) => [v.variableId, v.code])).toEqual([
      [choice!.variableId!, 'TOO_LONG'],
      [choice!.variableId!, 'INVALID_CHARACTERS'],
      [text!.variableId!, 'RESERVED'],
      [text!.variableId!, 'DUPLICATE'],
      ['var_nope', 'UNKNOWN_VARIABLE'],
    ]);
    for (const v of found) expect(v.message.length).toBeGreaterThan(10);
  });

  it('null or "" restores the auto label and is always valid', () => {
    const labelled = applyDataLabels(def, { [department!.id]: 'dept', [text!.variableId!]: 'free_text' });
    expect(validateDataLabels(labelled, { [department!.id]: null, [text!.variableId!]: '' })).toEqual([]);
    const restored = applyDataLabels(labelled, { [department!.id]: null, [text!.variableId!]: '' });
    expect(effectiveLabels(restored, 'data')).toEqual(autoLabels(restored));
  });

  it('applyDataLabels leaves the input untouched and labels only the named variables', () => {
    const before = structuredClone(def);
    const after = applyDataLabels(def, { [matrix!.rows[1]!.variableId]: 'row_two' });
    expect(def).toEqual(before);
    expect(after.questions[1]!.rows[1]!.dataLabel).toBe('row_two');
    expect(after.questions[1]!.rows[0]!.dataLabel).toBeNull();
  });

  it('effectiveLabels: data label when set, else auto label; mode auto ignores data labels', () => {
    const labelled = applyDataLabels(def, { [department!.id]: 'dept' });
    expect(effectiveLabels(labelled, 'data').get(department!.id)).toBe('dept');
    expect(effectiveLabels(labelled, 'data').get(text!.variableId!)).toBe('Q3');
    expect(effectiveLabels(labelled, 'auto').get(department!.id)).toBe('Department');
  });

  const labelArb = fc.oneof(
    fc.constantFrom(
      null,
      '',
      'dept',
      'DEPT',
      'Q1',
      'q2_1',
      'Email',
      'department',
      'a'.repeat(101),
      'bad label',
    ),
    fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/),
  );

  it('property: a batch that passes leaves every effective label unique and well-formed', () => {
    const variableIds = variablesOf(def).map((v) => v.id);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...variableIds), labelArb, { maxKeys: 8 }), (changes) => {
        const violations = validateDataLabels(def, changes);
        if (violations.length > 0) return;
        const after = applyDataLabels(def, changes);
        const labels = [...effectiveLabels(after, 'data').values()].map((l) => l.toLowerCase());
        expect(new Set(labels).size).toBe(labels.length);
        for (const v of variablesOf(after)) {
          if (v.dataLabel === null) continue;
          expect(v.dataLabel).toMatch(/^[A-Za-z0-9_]{1,100}$/);
          expect(QUESTION_LABEL_FORM.test(v.dataLabel)).toBe(false);
        }
        // Removing any data label afterwards never collides (rule 3's purpose).
        for (const v of variablesOf(after)) {
          if (v.dataLabel !== null) expect(validateDataLabels(after, { [v.id]: null })).toEqual([]);
        }
      }),
    );
  });

  it('property: every violation names a variable of the batch', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom(...variablesOf(def).map((v) => v.id)), fc.string()), labelArb),
        (changes) => {
          for (const v of validateDataLabels(def, changes))
            expect(Object.hasOwn(changes, v.variableId)).toBe(true);
        },
      ),
    );
  });
});
