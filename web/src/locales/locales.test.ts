// The two resource files stay in step: the same keys, the same placeholders, and Norwegian text that
// is not the English one left untranslated (apart from words both languages use as they are).
import { describe, expect, it } from 'vitest';
import en from './en.json';
import nb from './nb.json';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

// Terms Norwegian writes as English does (product words, units, protocol names).
const SAME_IN_BOTH = new Set([
  'lang.en',
  'lang.nb',
  'common.ok',
  'automation.status',
  'automation.url',
  'wizard.step.type',
  'wizard.step.url',
  'wizard.step.status',
  'wizard.webhooks',
  'test.ms',
  'run.url',
  'run.status',
  'runs.status',
  'runs.pushUrl',
  'run.pushUrl',
  'runs.atLeast',
  'runs.periodChip',
  'survey.system',
]);

describe('locale files', () => {
  it('have the same keys in English and Norwegian', () => {
    expect(Object.keys(nb).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in both languages', () => {
    const enTable = en as Record<string, string>;
    for (const [key, text] of Object.entries(nb as Record<string, string>))
      expect(placeholders(text), key).toEqual(placeholders(enTable[key]!));
  });

  it('leave no English sentence untranslated in Norwegian', () => {
    const enTable = en as Record<string, string>;
    const same = Object.entries(nb as Record<string, string>)
      .filter(([key, text]) => text === enTable[key] && !SAME_IN_BOTH.has(key) && /[a-z]{3}/i.test(text))
      .map(([key]) => key);
    expect(same).toEqual([]);
  });

  it('name plural forms for every count-taking string', () => {
    for (const table of [en, nb] as Record<string, string>[]) {
      for (const key of Object.keys(table).filter((k) => k.endsWith('_one')))
        expect(table[key.replace(/_one$/, '_other')], key).toBeDefined();
      // No "run(s)" style half-plurals.
      expect(Object.values(table).filter((v) => /\w\((s|er|e)\)/.test(v))).toEqual([]);
    }
  });
});
