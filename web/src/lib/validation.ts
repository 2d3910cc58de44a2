// Field checks the forms share, with messages in the chosen language.

/** The translate function of `useI18n()`, as far as these checks need it (no React import, so unit-testable). */
type Translate = (
  key: 'validation.required' | 'validation.max',
  values?: Record<string, string | number>,
) => string;

/** "Required" for blank text, "at most {max}" for text longer than `max` once trimmed, else null. */
export function textProblem(value: string, max: number, t: Translate): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return t('validation.required');
  if (trimmed.length > max) return t('validation.max', { max });
  return null;
}
