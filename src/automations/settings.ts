// Validation rules for automation settings: URL, custom headers, variable selection.
import { variablesOf, type SurveyDefinition } from '../surveys/survey-model.js';
import type { ErrorDetail } from '../http/errors.js';
import type { VariableSelection } from './message.js';
import { parseDeliveryUrl } from '../delivery/address-guard.js';
import { HEADER_NAME, isReservedHeader, MAX_HEADERS } from '../shared/contract-rules.js';

export { MAX_HEADERS };

/** Problems with a delivery URL (the sender's own rule): http(s) only, no credentials, ≤ 2000 characters. */
export function urlProblems(raw: string, field = 'url'): ErrorDetail[] {
  const check = parseDeliveryUrl(raw);
  return check.ok ? [] : [{ field, message: check.error.message }];
}

/** A warning the UI shows for plain-http URLs (allowed, not recommended). */
export function urlWarning(raw: string): 'insecure_http' | null {
  return raw.toLowerCase().startsWith('http:') ? 'insecure_http' : null;
}

/** Problems with custom headers: ≤ 10, valid names, no reserved or hop-by-hop names, no line breaks. */
export function headerProblems(headers: Record<string, string>, field = 'headers'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_HEADERS) problems.push({ field, message: `at most ${MAX_HEADERS} custom headers` });
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    const at = `${field}.${name}`;
    if (!HEADER_NAME.test(name)) problems.push({ field: at, message: 'is not a valid header name' });
    else if (isReservedHeader(name)) {
      problems.push({ field: at, message: `${name} is set by Svarbud and cannot be overridden` });
    } else if (seen.has(lower))
      problems.push({ field: at, message: 'is given twice (header names ignore case)' });
    seen.add(lower);
    const value = headers[name]!;
    if (/[\r\n\0]/.test(value)) problems.push({ field: at, message: 'must not contain line breaks' });
    if (value.length > 4000) problems.push({ field: at, message: 'must be at most 4000 characters' });
  }
  return problems;
}

/** Problems with a variable selection against the survey: specific needs ≥ 1 id, each a variable. */
export function selectionProblems(def: SurveyDefinition, selection: VariableSelection): ErrorDetail[] {
  if (selection.mode === 'all') return [];
  if (selection.ids.length === 0)
    return [{ field: 'variables.ids', message: 'choose at least one variable' }];
  const known = new Set(variablesOf(def).map((v) => v.id));
  const problems: ErrorDetail[] = [];
  selection.ids.forEach((id, i) => {
    if (!known.has(id))
      problems.push({ field: `variables.ids.${i}`, message: `${id} is not a variable of this survey` });
  });
  if (new Set(selection.ids).size !== selection.ids.length) {
    problems.push({ field: 'variables.ids', message: 'lists a variable twice' });
  }
  return problems;
}
