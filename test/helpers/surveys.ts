// Surveys for tests, inserted straight through the store (independent of the survey HTTP routes):
// one question of every type, a custom background variable, and the system variables unless anonymous.
import { newId, randomToken } from '../../src/ids.js';
import type { Db } from '../../src/db/connect.js';
import {
  newOptions,
  newQuestion,
  SYSTEM_VARIABLES,
  type SurveyDefinition,
  type SurveyRecord,
} from '../../src/surveys/survey-model.js';
import { insertSurvey } from '../../src/surveys/surveys.store.js';

/** Ids of the fixture's variables and questions, named by role. */
export interface FixtureIds {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** Custom background variable "Department". */
  department: string;
  single: string;
  singleVar: string;
  multiple: string;
  multipleVar: string;
  text: string;
  textVar: string;
  number: string;
  numberVar: string;
  scale: string;
  scaleVar: string;
  date: string;
  dateVar: string;
  matrix: string;
  matrixRows: [string, string];
}

export interface SurveyFixture {
  survey: SurveyRecord;
  ids: FixtureIds;
}

/**
 * A definition with every question type, in this order: single_choice (Red/Green/Blue, codes 1–3),
 * multiple_choice (Gym/Lunch/Home office), text, number, scale 1..5, date, matrix (2 rows × Poor/Fair/Good).
 * Data labels are set on the single choice (`colour`) and the department (`dept`).
 */
export function fixtureDefinition(options_: { anonymous?: boolean } = {}): {
  definition: SurveyDefinition;
  ids: FixtureIds;
} {
  const system = options_.anonymous
    ? []
    : SYSTEM_VARIABLES.map((s) => ({ id: newId('var'), name: s.name, system: s.system, dataLabel: null }));
  const department = { id: newId('var'), name: 'Department', system: null, dataLabel: 'dept' };
  const single = newQuestion({
    type: 'single_choice',
    text: 'Favourite colour?',
    options: newOptions(['Red', 'Green', 'Blue']),
    dataLabel: 'colour',
  });
  const multiple = newQuestion({
    type: 'multiple_choice',
    text: 'Which benefits do you use?',
    options: newOptions(['Gym', 'Lunch', 'Home office']),
  });
  const text = newQuestion({ type: 'text', text: 'What should we improve?' });
  const number = newQuestion({ type: 'number', text: 'Hours last week?' });
  const scale = newQuestion({ type: 'scale', text: 'How likely to recommend?', min: 1, max: 5 });
  const date = newQuestion({ type: 'date', text: 'When did you start?' });
  const matrix = newQuestion({
    type: 'matrix',
    text: 'How do you rate…',
    options: newOptions(['Poor', 'Fair', 'Good']),
    rows: [
      { id: newId('row'), text: 'your team', variableId: newId('var'), dataLabel: 'team' },
      { id: newId('row'), text: 'your manager', variableId: newId('var'), dataLabel: null },
    ],
  });
  const bySystem = (s: string) => system.find((v) => v.system === s)?.id ?? null;
  return {
    definition: {
      backgroundVariables: [...system, department],
      questions: [single, multiple, text, number, scale, date, matrix],
    },
    ids: {
      firstName: bySystem('first_name'),
      lastName: bySystem('last_name'),
      email: bySystem('email'),
      department: department.id,
      single: single.id,
      singleVar: single.variableId!,
      multiple: multiple.id,
      multipleVar: multiple.variableId!,
      text: text.id,
      textVar: text.variableId!,
      number: number.id,
      numberVar: number.variableId!,
      scale: scale.id,
      scaleVar: scale.variableId!,
      date: date.id,
      dateVar: date.variableId!,
      matrix: matrix.id,
      matrixRows: [matrix.rows[0]!.variableId, matrix.rows[1]!.variableId],
    },
  };
}

/** Inserts a fixture survey for `orgId` and returns it with its ids. */
export async function createSurveyFixture(
  db: Db,
  orgId: string,
  options_: { anonymous?: boolean; title?: string } = {},
): Promise<SurveyFixture> {
  const { definition, ids } = fixtureDefinition(options_);
  const now = Date.now();
  const survey: SurveyRecord = {
    id: newId('srv', now),
    orgId,
    title: options_.title ?? (options_.anonymous ? 'Anonymous pulse' : 'Pulse'),
    anonymous: options_.anonymous ?? false,
    publicToken: randomToken(24),
    definition,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insertSurvey(db, survey);
  return { survey, ids };
}
