// Glossary (used in code, UI and docs alike):
//   survey      — a title, an anonymous flag, background variables and ordered questions.
//   variable    — a background variable or a question; a matrix contributes one variable per row.
//   auto label  — the label Svarbud derives for a variable (labels.ts); the CSV column header.
//   data label  — a label the owner sets for a variable, replacing its auto label where chosen.
//   response    — one respondent's completed answers, keyed by variable id.
//
// A survey's structure is stored as one JSON document (`surveys.definition`): edits rewrite it
// in one statement, and copying a survey or template copies it whole.

import { newId } from '../ids.js';
import { QUESTION_TYPES, type QuestionType } from '../shared/contract-rules.js';

export { QUESTION_TYPES, type QuestionType };

export type SystemVariable = 'first_name' | 'last_name' | 'email';

export interface BackgroundVariableDef {
  /** The variable id. */
  id: string;
  name: string;
  system: SystemVariable | null;
  dataLabel: string | null;
}

export interface OptionDef {
  id: string;
  text: string;
  code: number;
}

export interface RowDef {
  id: string;
  text: string;
  /** Each matrix row is its own variable. */
  variableId: string;
  dataLabel: string | null;
}

export interface QuestionDef {
  id: string;
  type: QuestionType;
  text: string;
  options: OptionDef[]; // single_choice, multiple_choice, matrix
  rows: RowDef[]; // matrix only
  min: number | null; // scale
  max: number | null; // scale
  /** The variable of a non-matrix question; null for a matrix (its rows are the variables). */
  variableId: string | null;
  dataLabel: string | null; // non-matrix only
}

export interface SurveyDefinition {
  backgroundVariables: BackgroundVariableDef[];
  /** In position order: position = index + 1. */
  questions: QuestionDef[];
}

/** A survey as the services see it (row + parsed definition). */
export interface SurveyRecord {
  id: string;
  orgId: string;
  title: string;
  anonymous: boolean;
  publicToken: string;
  definition: SurveyDefinition;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export const SYSTEM_VARIABLES: { system: SystemVariable; name: string }[] = [
  { system: 'first_name', name: 'First name' },
  { system: 'last_name', name: 'Last name' },
  { system: 'email', name: 'E-mail' },
];

/** One variable of a survey, in survey order (background variables, then questions by position). */
export interface VariableRef {
  id: string;
  kind: 'background' | 'question';
  text: string;
  dataLabel: string | null;
  questionId: string | null;
  background: BackgroundVariableDef | null;
  question: QuestionDef | null;
  /** Matrix row, for a matrix-row variable. */
  row: RowDef | null;
  /** 1-based question position; row number (1-based) for matrix rows. */
  position: number | null;
  rowNumber: number | null;
}

/** Every variable of a definition in survey order. */
export function variablesOf(def: SurveyDefinition): VariableRef[] {
  const out: VariableRef[] = [];
  for (const bg of def.backgroundVariables) {
    out.push({
      id: bg.id,
      kind: 'background',
      text: bg.name,
      dataLabel: bg.dataLabel,
      questionId: null,
      background: bg,
      question: null,
      row: null,
      position: null,
      rowNumber: null,
    });
  }
  def.questions.forEach((q, index) => {
    if (q.type === 'matrix') {
      q.rows.forEach((row, r) => {
        out.push({
          id: row.variableId,
          kind: 'question',
          text: `${q.text} — ${row.text}`,
          dataLabel: row.dataLabel,
          questionId: q.id,
          background: null,
          question: q,
          row,
          position: index + 1,
          rowNumber: r + 1,
        });
      });
    } else {
      out.push({
        id: q.variableId!,
        kind: 'question',
        text: q.text,
        dataLabel: q.dataLabel,
        questionId: q.id,
        background: null,
        question: q,
        row: null,
        position: index + 1,
        rowNumber: null,
      });
    }
  });
  return out;
}

/** A copy of question `q` with fresh ids for it, its options, rows and variables; data labels only if asked. */
export function cloneQuestion(q: QuestionDef, keepDataLabels: boolean): QuestionDef {
  return {
    ...q,
    id: newId('qst'),
    options: q.options.map((o) => ({ ...o, id: newId('opt') })),
    rows: q.rows.map((r) => ({
      ...r,
      id: newId('row'),
      variableId: newId('var'),
      dataLabel: keepDataLabels ? r.dataLabel : null,
    })),
    variableId: q.variableId === null ? null : newId('var'),
    dataLabel: keepDataLabels ? q.dataLabel : null,
  };
}

/**
 * A copy of `def` with fresh ids throughout (surveys never share variable ids); data labels only if
 * asked. Order is kept, so every auto label stays the same.
 */
export function cloneDefinition(def: SurveyDefinition, keepDataLabels: boolean): SurveyDefinition {
  return {
    backgroundVariables: def.backgroundVariables.map((b) => ({
      ...b,
      id: newId('var'),
      dataLabel: keepDataLabels ? b.dataLabel : null,
    })),
    questions: def.questions.map((q) => cloneQuestion(q, keepDataLabels)),
  };
}

/** Answer options with fresh ids and the default codes 1..n in order. */
export function newOptions(texts: string[]): OptionDef[] {
  return texts.map((text, i) => ({ id: newId('opt'), text, code: i + 1 }));
}

/** A question with fresh ids (its variable too, unless a matrix) and empty defaults for what is not given. */
export function newQuestion(partial: Partial<QuestionDef> & Pick<QuestionDef, 'type' | 'text'>): QuestionDef {
  return {
    id: newId('qst'),
    options: [],
    rows: [],
    min: null,
    max: null,
    variableId: partial.type === 'matrix' ? null : newId('var'),
    dataLabel: null,
    ...partial,
  };
}
