// Labels (SPEC §4): auto labels derived from a survey's structure, and the data label rules.
import { DATA_LABEL_CHARACTERS, MAX_DATA_LABEL, QUESTION_LABEL_FORM } from '../shared/contract-rules.js';
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

// The label rules the web app checks too live in shared/contract-rules.ts.
export { QUESTION_LABEL_FORM };

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

// Data labels (SPEC §4): owner-chosen labels with rules the API enforces; pure functions below.

export type DataLabelViolationCode =
  'TOO_LONG' | 'INVALID_CHARACTERS' | 'DUPLICATE' | 'RESERVED' | 'NOT_LABELABLE' | 'UNKNOWN_VARIABLE';

export interface DataLabelViolation {
  variableId: string;
  code: DataLabelViolationCode;
  message: string;
}

/** A batch of data label changes by variable id; null or "" restores the auto label. */
export type DataLabelChanges = Record<string, string | null>;

export { MAX_DATA_LABEL };

function requestedLabel(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/** Ids in `def` that exist but are not variables, with what they are (for NOT_LABELABLE). */
function nonVariableIds(def: SurveyDefinition): Map<string, string> {
  const ids = new Map<string, string>();
  for (const q of def.questions) {
    for (const o of q.options) ids.set(o.id, 'an answer option; answer options have no data labels');
    for (const r of q.rows) ids.set(r.id, `a matrix row id; label the row's variable ${r.variableId}`);
    ids.set(
      q.id,
      q.type === 'matrix'
        ? 'a matrix question; label each of its rows (rows[].variableId)'
        : `a question id; label the question's variable ${q.variableId ?? ''}`,
    );
  }
  return ids;
}

/**
 * Every rule violation of applying `changes` to `def`, per variable (empty = the batch may be saved).
 * Uniqueness is judged on the state after the whole batch, against other variables' data labels and
 * auto labels, case-insensitively.
 */
export function validateDataLabels(def: SurveyDefinition, changes: DataLabelChanges): DataLabelViolation[] {
  const variables = variablesOf(def);
  const known = new Map(variables.map((v) => [v.id, v]));
  const auto = autoLabels(def);
  const final = new Map(variables.map((v) => [v.id, v.dataLabel]));
  const notVariables = nonVariableIds(def);
  const violations: DataLabelViolation[] = [];

  for (const [variableId, value] of Object.entries(changes)) {
    if (known.has(variableId)) final.set(variableId, requestedLabel(value));
  }

  // Who holds each label (lower-cased) after the batch: auto labels and data labels alike.
  const holders = new Map<string, { id: string; kind: 'auto' | 'data' }[]>();
  const hold = (label: string, id: string, kind: 'auto' | 'data') => {
    const key = label.toLowerCase();
    holders.set(key, [...(holders.get(key) ?? []), { id, kind }]);
  };
  for (const v of variables) {
    hold(auto.get(v.id)!, v.id, 'auto');
    const data = final.get(v.id);
    if (data) hold(data, v.id, 'data');
  }

  for (const variableId of Object.keys(changes)) {
    if (!known.has(variableId)) {
      const what = notVariables.get(variableId);
      violations.push(
        what
          ? { variableId, code: 'NOT_LABELABLE', message: `This id is ${what}.` }
          : { variableId, code: 'UNKNOWN_VARIABLE', message: 'No variable of this survey has this id.' },
      );
      continue;
    }
    const label = final.get(variableId);
    if (!label) continue;
    if (label.length > MAX_DATA_LABEL) {
      violations.push({
        variableId,
        code: 'TOO_LONG',
        message: `A data label has at most ${MAX_DATA_LABEL} characters (this one has ${label.length}).`,
      });
    }
    if (!DATA_LABEL_CHARACTERS.test(label)) {
      violations.push({
        variableId,
        code: 'INVALID_CHARACTERS',
        message: 'A data label may contain only A–Z, a–z, 0–9 and _.',
      });
    }
    if (QUESTION_LABEL_FORM.test(label)) {
      violations.push({
        variableId,
        code: 'RESERVED',
        message: `"${label}" has the form Q<number> or Q<number>_<number>, which is reserved for auto labels.`,
      });
    }
    const other = holders.get(label.toLowerCase())?.find((h) => h.id !== variableId);
    if (other) {
      const whose = known.get(other.id)!;
      violations.push({
        variableId,
        code: 'DUPLICATE',
        message: `"${label}" is already the ${other.kind} label of "${whose.text}" (labels are unique regardless of case).`,
      });
    }
  }
  return violations;
}

/** `def` with the data label changes applied (null or "" restores the auto label); `def` is untouched. */
export function applyDataLabels(def: SurveyDefinition, changes: DataLabelChanges): SurveyDefinition {
  const next = structuredClone(def);
  const label = (id: string, current: string | null) =>
    Object.hasOwn(changes, id) ? requestedLabel(changes[id] ?? null) : current;
  for (const bg of next.backgroundVariables) bg.dataLabel = label(bg.id, bg.dataLabel);
  for (const q of next.questions) {
    if (q.variableId !== null) q.dataLabel = label(q.variableId, q.dataLabel);
    for (const row of q.rows) row.dataLabel = label(row.variableId, row.dataLabel);
  }
  return next;
}

/** The label of every variable by id: its auto label, or (mode `data`) its data label when set. */
export function effectiveLabels(def: SurveyDefinition, mode: 'auto' | 'data'): Map<string, string> {
  const auto = autoLabels(def);
  if (mode === 'auto') return auto;
  const labels = new Map<string, string>();
  for (const v of variablesOf(def)) labels.set(v.id, v.dataLabel ?? auto.get(v.id)!);
  return labels;
}
