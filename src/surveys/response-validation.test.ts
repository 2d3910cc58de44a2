import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureDefinition } from '../../test/helpers/surveys.js';
import {
  isCalendarDate,
  parseIsoTime,
  validateResponse,
  type ResponseSubmission,
  type ResponseValidation,
} from './response-validation.js';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const { definition, ids } = fixtureDefinition();
const anonymous = fixtureDefinition({ anonymous: true });

function check(input: ResponseSubmission, anon = false): ResponseValidation {
  return anon
    ? validateResponse(anonymous.definition, true, input, NOW)
    : validateResponse(definition, false, input, NOW);
}

function errorsOf(result: ResponseValidation) {
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => [e.field, e.code]);
}

describe('validateResponse', () => {
  it('accepts one valid value of every type and keys them by variable id', () => {
    const result = check({
      respondent: { firstName: ' Ada ', lastName: 'Lovelace', email: 'ada@example.com' },
      background: { [ids.department]: 'Research' },
      answers: {
        [ids.single]: 2,
        [ids.multiple]: [3, 1],
        [ids.text]: 'More coffee',
        [ids.number]: -2.5,
        [ids.scale]: 5,
        [ids.date]: '2024-02-29',
        [ids.matrixRows[0]]: 1,
        [ids.matrixRows[1]]: 3,
      },
      completedAt: '2026-01-15T11:00:00+01:00',
    });
    expect(result).toEqual({
      ok: true,
      response: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        completedAt: Date.parse('2026-01-15T10:00:00Z'),
        values: {
          [ids.department]: 'Research',
          [ids.singleVar]: 2,
          [ids.multipleVar]: [1, 3],
          [ids.textVar]: 'More coffee',
          [ids.numberVar]: -2.5,
          [ids.scaleVar]: 5,
          [ids.dateVar]: '2024-02-29',
          [ids.matrixRows[0]]: 1,
          [ids.matrixRows[1]]: 3,
        },
      },
    });
  });

  it('treats null and absent as unanswered and defaults completedAt to now', () => {
    const result = check({
      answers: { [ids.single]: null, [ids.date]: null },
      background: { [ids.department]: null },
    });
    expect(result).toEqual({
      ok: true,
      response: { firstName: null, lastName: null, email: null, values: {}, completedAt: NOW },
    });
  });

  it('accepts a non-matrix question under its variable id too', () => {
    const result = check({ answers: { [ids.scaleVar]: 3 } });
    expect(result.ok && result.response.values).toEqual({ [ids.scaleVar]: 3 });
    expect(errorsOf(check({ answers: { [ids.scale]: 3, [ids.scaleVar]: 4 } }))).toEqual([
      [`answers.${ids.scaleVar}`, 'DUPLICATE_ANSWER'],
    ]);
  });

  it.each([
    ['single choice: unknown option', 'single', 4, 'UNKNOWN_OPTION'],
    ['single choice: text instead of a code', 'single', 'Red', 'WRONG_TYPE'],
    ['multiple choice: not a list', 'multiple', 1, 'WRONG_TYPE'],
    ['multiple choice: unknown option', 'multiple', [1, 9], 'UNKNOWN_OPTION'],
    ['multiple choice: a code twice', 'multiple', [2, 2], 'DUPLICATE_OPTION'],
    ['text: a number', 'text', 12, 'WRONG_TYPE'],
    ['text: too long', 'text', 'x'.repeat(10_001), 'TOO_LONG'],
    ['number: a numeric string', 'number', '12', 'WRONG_TYPE'],
    ['scale: above max', 'scale', 6, 'OUT_OF_RANGE'],
    ['scale: below min', 'scale', 0, 'OUT_OF_RANGE'],
    ['scale: a fraction', 'scale', 2.5, 'WRONG_TYPE'],
    ['date: 30 February', 'date', '2026-02-30', 'INVALID_DATE'],
    ['date: 29 February in a common year', 'date', '2025-02-29', 'INVALID_DATE'],
    ['date: another format', 'date', '15.01.2026', 'INVALID_DATE'],
    ['date: a number', 'date', 20260115, 'WRONG_TYPE'],
  ] as const)('rejects %s', (_name, key, value, code) => {
    expect(errorsOf(check({ answers: { [ids[key]]: value } }))).toEqual([[`answers.${ids[key]}`, code]]);
  });

  it('rejects a matrix row answer that is not an option code', () => {
    expect(errorsOf(check({ answers: { [ids.matrixRows[1]]: 4 } }))).toEqual([
      [`answers.${ids.matrixRows[1]}`, 'UNKNOWN_OPTION'],
    ]);
  });

  it('tells to key a matrix by its row variable ids', () => {
    const result = check({ answers: { [ids.matrix]: 1 } });
    expect(errorsOf(result)).toEqual([[`answers.${ids.matrix}`, 'MATRIX_ROW_REQUIRED']]);
    expect(!result.ok && result.errors[0]!.message).toContain(ids.matrixRows[0]);
  });

  it('names unknown ids and background variables sent as answers', () => {
    expect(
      errorsOf(
        check({
          answers: { var_nope: 1, [ids.department]: 'x' },
          background: { var_other: 'x', [ids.email!]: 'a@b.no' },
        }),
      ),
    ).toEqual([
      ['background.var_other', 'UNKNOWN_VARIABLE'],
      [`background.${ids.email}`, 'NOT_CUSTOM_BACKGROUND'],
      ['answers.var_nope', 'UNKNOWN_VARIABLE'],
      [`answers.${ids.department}`, 'NOT_A_QUESTION'],
    ]);
  });

  it('reports every fault at once', () => {
    const result = check({
      respondent: { email: 'not-an-address', firstName: 'x'.repeat(201) },
      background: { [ids.department]: 7 },
      answers: { [ids.single]: 9, [ids.scale]: 10, [ids.date]: '2026-13-01' },
      completedAt: 'yesterday',
    });
    expect(result.ok || result.code).toBe('RESPONSE_INVALID');
    expect(errorsOf(result)).toEqual([
      ['respondent.firstName', 'TOO_LONG'],
      ['respondent.email', 'INVALID_EMAIL'],
      [`background.${ids.department}`, 'WRONG_TYPE'],
      [`answers.${ids.single}`, 'UNKNOWN_OPTION'],
      [`answers.${ids.scale}`, 'OUT_OF_RANGE'],
      [`answers.${ids.date}`, 'INVALID_DATE'],
      ['completedAt', 'INVALID_TIME'],
    ]);
  });

  it('refuses names and e-mail on an anonymous survey, naming each field', () => {
    const result = check({ respondent: { firstName: 'Ada', email: 'ada@example.com' }, answers: {} }, true);
    expect(result.ok || result.code).toBe('ANONYMOUS_SURVEY');
    expect(errorsOf(result)).toEqual([
      ['respondent.firstName', 'ANONYMOUS_SURVEY'],
      ['respondent.email', 'ANONYMOUS_SURVEY'],
    ]);
    expect(check({ respondent: { firstName: null }, answers: {} }, true).ok).toBe(true);
    expect(check({ respondent: {}, answers: {} }, true).ok).toBe(true);
  });

  it('accepts completedAt up to 5 minutes ahead, not more', () => {
    expect(check({ answers: {}, completedAt: '2026-01-15T12:05:00Z' }).ok).toBe(true);
    expect(errorsOf(check({ answers: {}, completedAt: '2026-01-15T12:05:01Z' }))).toEqual([
      ['completedAt', 'IN_FUTURE'],
    ]);
    expect(errorsOf(check({ answers: {}, completedAt: '2026-02-30T12:00:00Z' }))).toEqual([
      ['completedAt', 'INVALID_TIME'],
    ]);
    expect(errorsOf(check({ answers: {}, completedAt: '2026-01-15T12:00:00' }))).toEqual([
      ['completedAt', 'INVALID_TIME'],
    ]);
  });
});

describe('isCalendarDate', () => {
  it('agrees with the calendar for every day of 1900–2100', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const real = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          expect(isCalendarDate(text)).toBe(real);
        },
      ),
    );
  });

  it('parses ISO times with a zone only', () => {
    expect(parseIsoTime('2026-01-15T12:00:00.123Z')).toBe(Date.parse('2026-01-15T12:00:00.123Z'));
    expect(parseIsoTime('2026-01-15 12:00:00Z')).toBeNull();
    expect(parseIsoTime('2026-01-15')).toBeNull();
  });
});
