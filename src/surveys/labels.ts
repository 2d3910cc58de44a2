// Auto labels (SPEC §4): deterministic labels derived from a survey's structure.
import { variablesOf, type SurveyDefinition, type SystemVariable } from './survey-model.js';

const SYSTEM_LABELS: Record<SystemVariable, string> = {
  first_name: 'FirstName',
  last_name: 'LastName',
  email: 'Email',
};

const TRANSLITERATION: Record<string, string> = {
  å: 'a',
  Å: 'A',
  ø: 'o',
  Ø: 'O',
  æ: 'ae',
  Æ: 'AE',
  ß: 'ss',
  ẞ: 'SS',
  œ: 'oe',
  Œ: 'OE',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
};

/** The question form `Q<digits>` or `Q<digits>_<digits>`, any case: reserved for auto labels. */
export const QUESTION_LABEL_FORM = /^q\d+(_\d+)?$/i;

const MAX_AUTO_LABEL = 90;

/** Transliterates a background variable name into `A–Z a–z 0–9 _` (before uniqueness). */
export function baseBackgroundLabel(name: string): string {
  let text = '';
  for (const ch of name) text += TRANSLITERATION[ch] ?? ch;
  // Decomposition strips the remaining accents (é → e, ü → u).
  text = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let label = text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  label = label.slice(0, MAX_AUTO_LABEL).replace(/_+$/g, '');
  if (label === '') return 'BG';
  if (QUESTION_LABEL_FORM.test(label)) return `BG_${label}`;
  return label;
}

/** The auto label of every variable of `def`, by variable id; unique case-insensitively. */
export function autoLabels(def: SurveyDefinition): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Set<string>();
  const claim = (id: string, label: string) => {
    labels.set(id, label);
    used.add(label.toLowerCase());
  };
  // Question labels first: they are fixed by position and never collide with background labels.
  for (const v of variablesOf(def)) {
    if (v.kind !== 'question') continue;
    claim(v.id, v.rowNumber === null ? `Q${v.position}` : `Q${v.position}_${v.rowNumber}`);
  }
  for (const bg of def.backgroundVariables) {
    const base = bg.system ? SYSTEM_LABELS[bg.system] : baseBackgroundLabel(bg.name);
    let label = base;
    for (let n = 2; used.has(label.toLowerCase()); n++) label = `${base}_${n}`;
    claim(bg.id, label);
  }
  return labels;
}
