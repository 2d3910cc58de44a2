// The creation wizard's step logic, free of React: which steps exist and in which order, what each
// step's buttons are, when Next is allowed (on the URL step only after a successful connection test of
// exactly the current settings), and what makes an earlier test result stale. Used by
// screens/wizard.tsx; unit-tested in wizard-steps.test.ts.
import type { VariableSelection } from './types';

/** The help article's order: survey → webhooks (type) → variables → labels → URL and test → name → status. */
export const WIZARD_STEPS = ['survey', 'type', 'variables', 'labels', 'url', 'name', 'status'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const stepIndex = (step: WizardStep): number => WIZARD_STEPS.indexOf(step);

/** The step after `step`, or null on the last one. */
export function nextStep(step: WizardStep): WizardStep | null {
  return WIZARD_STEPS[stepIndex(step) + 1] ?? null;
}

/** The step before `step`, or null on the first one. Going back never loses what was entered. */
export function previousStep(step: WizardStep): WizardStep | null {
  const i = stepIndex(step);
  return i > 0 ? WIZARD_STEPS[i - 1]! : null;
}

/** What the automation will be created with, and what the connection test sends. */
export interface WizardSettings {
  surveyId: string;
  url: string;
  variables: VariableSelection;
  labels: 'auto' | 'data';
  answerFormat: 'text' | 'code';
  headers: Record<string, string>;
}

/** The settings as sent: the URL without surrounding spaces. */
export function wizardSettings(input: WizardSettings): WizardSettings {
  return { ...input, url: input.url.trim() };
}

/** Identifies settings, so a test result can be tied to the settings it was made with. */
export const settingsKey = (settings: WizardSettings): string => JSON.stringify(wizardSettings(settings));

/** A connection test's outcome and the key of the settings it tested. */
export interface WizardTest {
  result: { ok: boolean };
  settings: string;
}

/**
 * untested: no test yet (or the last one could not be made); passed/failed: the test of the current
 * settings; stale: a test of settings that have changed since (any of survey, URL, variables, labels,
 * answer format, headers) — it no longer counts and the user has to test again.
 */
export type TestState = 'untested' | 'passed' | 'failed' | 'stale';

export function testState(test: WizardTest | null, currentKey: string): TestState {
  if (test === null) return 'untested';
  if (test.settings !== currentKey) return 'stale';
  return test.result.ok ? 'passed' : 'failed';
}

export const noVariablesChosen = (variables: VariableSelection): boolean =>
  variables.mode === 'specific' && variables.ids.length === 0;

export type NameIssue = 'validation.required' | 'automation.nameTooLong';

/** The automation's name: required, at most 100 characters (spaces around it do not count). */
export function nameIssue(name: string): NameIssue | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'validation.required';
  if (trimmed.length > 100) return 'automation.nameTooLong';
  return null;
}

/** A variable selection kept when the survey changes: specific variables belong to the old survey. */
export function variablesForSurvey(
  variables: VariableSelection,
  previousSurveyId: string,
  surveyId: string,
): VariableSelection {
  return surveyId !== previousSurveyId && variables.mode === 'specific' ? { mode: 'all' } : variables;
}

/** What the step's checks look at. */
export interface WizardState {
  surveyId: string;
  variables: VariableSelection;
  test: TestState;
  name: string;
}

/** Why the wizard cannot go on from `step`, or null when it can. */
export type Blocker = 'noSurvey' | 'noVariables' | 'notTested' | NameIssue;

export function blocker(step: WizardStep, state: WizardState): Blocker | null {
  switch (step) {
    case 'survey':
      return state.surveyId ? null : 'noSurvey';
    case 'variables':
      return noVariablesChosen(state.variables) ? 'noVariables' : null;
    case 'url':
      return state.test === 'passed' ? null : 'notTested';
    case 'name':
      return nameIssue(state.name);
    default:
      return null;
  }
}

export const canGoOn = (step: WizardStep, state: WizardState): boolean => blocker(step, state) === null;

/** The step's buttons: Back after the first step; Next, Finish on the last, none on `type` (a choice). */
export function stepButtons(step: WizardStep): { back: boolean; primary: 'next' | 'finish' | null } {
  return {
    back: previousStep(step) !== null,
    primary: step === 'type' ? null : nextStep(step) === null ? 'finish' : 'next',
  };
}

/**
 * Next is disabled while the step is blocked — except on the name step, where it stays enabled so that
 * pressing it shows the field's error (the user can see what is missing there).
 */
export function nextDisabled(step: WizardStep, state: WizardState): boolean {
  return step !== 'name' && !canGoOn(step, state);
}

/** What submitting the step's form does: go to the next step, finish, or stay (showing errors). */
export function submitAction(step: WizardStep, state: WizardState): 'next' | 'finish' | 'stay' {
  const { primary } = stepButtons(step);
  if (primary === null || !canGoOn(step, state)) return 'stay';
  return primary;
}

/**
 * The step the wizard shows when the URL asks for `wanted`: that step, or the first earlier one that is
 * still blocked (a bookmarked or typed `?step=name` never skips the connection test).
 */
export function reachableStep(wanted: WizardStep, state: WizardState): WizardStep {
  for (const step of WIZARD_STEPS) {
    if (step === wanted) return step;
    if (!canGoOn(step, state)) return step;
  }
  return wanted;
}
