import { describe, expect, it } from 'vitest';
import { textProblem } from './validation';

const t = (key: string, values?: Record<string, string | number>) => (values ? `${key}:${values.max}` : key);

describe('textProblem', () => {
  it('asks for blank text, limits trimmed length, accepts the rest', () => {
    expect(textProblem('  ', 10, t)).toBe('validation.required');
    expect(textProblem('x'.repeat(11), 10, t)).toBe('validation.max:10');
    expect(textProblem(`  ${'x'.repeat(10)}  `, 10, t)).toBeNull();
  });
});
