// The wizard's step logic: order, buttons, when Next is allowed, and when a connection test counts.
import { describe, expect, it } from 'vitest';
import {
  blocker,
  canGoOn,
  nameIssue,
  nextDisabled,
  nextStep,
  previousStep,
  reachableStep,
  settingsKey,
  stepButtons,
  stepIndex,
  submitAction,
  testState,
  variablesForSurvey,
  WIZARD_STEPS,
  wizardSettings,
  type WizardSettings,
  type WizardState,
  type WizardStep,
} from './wizard-steps';

const SETTINGS: WizardSettings = {
  surveyId: 'srv_1',
  url: 'https://example.com/hook',
  variables: { mode: 'all' },
  labels: 'auto',
  answerFormat: 'text',
  headers: {},
};
const READY: WizardState = {
  surveyId: 'srv_1',
  variables: { mode: 'all' },
  test: 'passed',
  name: 'CRM feed',
};

describe('wizard steps', () => {
  it('has the help article’s seven steps in order', () => {
    expect(WIZARD_STEPS).toEqual(['survey', 'type', 'variables', 'labels', 'url', 'name', 'status']);
    expect(stepIndex('survey')).toBe(0);
    expect(stepIndex('status')).toBe(6);
  });

  it('walks forwards and backwards, stopping at the ends', () => {
    const forwards: WizardStep[] = [];
    for (let s: WizardStep | null = 'survey'; s; s = nextStep(s)) forwards.push(s);
    expect(forwards).toEqual([...WIZARD_STEPS]);
    const backwards: WizardStep[] = [];
    for (let s: WizardStep | null = 'status'; s; s = previousStep(s)) backwards.push(s);
    expect(backwards).toEqual([...WIZARD_STEPS].reverse());
    expect(nextStep('status')).toBeNull();
    expect(previousStep('survey')).toBeNull();
  });

  it('shows Back after the first step, Next until the last, Finish on it, and no Next on the type choice', () => {
    expect(stepButtons('survey')).toEqual({ back: false, primary: 'next' });
    expect(stepButtons('type')).toEqual({ back: true, primary: null });
    for (const s of ['variables', 'labels', 'url', 'name'] as const)
      expect(stepButtons(s)).toEqual({ back: true, primary: 'next' });
    expect(stepButtons('status')).toEqual({ back: true, primary: 'finish' });
  });
});

describe('going on from a step', () => {
  it('needs a survey', () => {
    expect(blocker('survey', { ...READY, surveyId: '' })).toBe('noSurvey');
    expect(nextDisabled('survey', { ...READY, surveyId: '' })).toBe(true);
    expect(canGoOn('survey', READY)).toBe(true);
  });

  it('needs at least one variable when choosing specific ones', () => {
    const none = { ...READY, variables: { mode: 'specific' as const, ids: [] } };
    expect(blocker('variables', none)).toBe('noVariables');
    expect(nextDisabled('variables', none)).toBe(true);
    expect(canGoOn('variables', { ...READY, variables: { mode: 'specific', ids: ['var_1'] } })).toBe(true);
    expect(canGoOn('variables', READY)).toBe(true);
  });

  it('on the URL step, needs a passed test of the current settings', () => {
    for (const test of ['untested', 'failed', 'stale'] as const) {
      expect(blocker('url', { ...READY, test })).toBe('notTested');
      expect(nextDisabled('url', { ...READY, test })).toBe(true);
      expect(submitAction('url', { ...READY, test })).toBe('stay');
    }
    expect(nextDisabled('url', READY)).toBe(false);
    expect(submitAction('url', READY)).toBe('next');
  });

  it('needs a name of at most 100 characters, keeping Next enabled so pressing it shows the error', () => {
    expect(nameIssue('')).toBe('validation.required');
    expect(nameIssue('   ')).toBe('validation.required');
    expect(nameIssue('x'.repeat(101))).toBe('automation.nameTooLong');
    expect(nameIssue(` ${'x'.repeat(100)} `)).toBeNull();
    expect(nextDisabled('name', { ...READY, name: '' })).toBe(false);
    expect(submitAction('name', { ...READY, name: '' })).toBe('stay');
    expect(submitAction('name', READY)).toBe('next');
  });

  it('does not check later steps early: the test only matters on the URL step, the name on its own', () => {
    const early = { ...READY, test: 'untested' as const, name: '' };
    for (const s of ['survey', 'variables', 'labels'] as const) expect(submitAction(s, early)).toBe('next');
  });

  it('finishes from the status step and stays on the type step (its choice moves on)', () => {
    expect(submitAction('status', READY)).toBe('finish');
    expect(submitAction('type', READY)).toBe('stay');
    expect(nextDisabled('labels', READY)).toBe(false);
  });
});

describe('the connection test result', () => {
  const key = settingsKey(SETTINGS);

  it('is untested before any test, passed or failed for the current settings', () => {
    expect(testState(null, key)).toBe('untested');
    expect(testState({ result: { ok: true }, settings: key }, key)).toBe('passed');
    expect(testState({ result: { ok: false }, settings: key }, key)).toBe('failed');
  });

  it('goes stale when any setting changes, and counts again when it is changed back', () => {
    const test = { result: { ok: true }, settings: key };
    const changes: Partial<WizardSettings>[] = [
      { surveyId: 'srv_2' },
      { url: 'https://example.com/other' },
      { variables: { mode: 'specific', ids: ['var_1'] } },
      { labels: 'data' },
      { answerFormat: 'code' },
      { headers: { 'X-Api-Key': 'k' } },
    ];
    for (const change of changes)
      expect(testState(test, settingsKey({ ...SETTINGS, ...change }))).toBe('stale');
    expect(testState(test, settingsKey({ ...SETTINGS }))).toBe('passed');
  });

  it('ignores spaces around the URL, which are not sent', () => {
    expect(wizardSettings({ ...SETTINGS, url: '  https://example.com/hook \n' }).url).toBe(SETTINGS.url);
    expect(settingsKey({ ...SETTINGS, url: ` ${SETTINGS.url} ` })).toBe(key);
  });
});

describe('changing the survey', () => {
  it('drops specific variables, which belong to the previous survey', () => {
    const specific = { mode: 'specific' as const, ids: ['var_1'] };
    expect(variablesForSurvey(specific, 'srv_1', 'srv_2')).toEqual({ mode: 'all' });
    expect(variablesForSurvey(specific, 'srv_1', 'srv_1')).toBe(specific);
    expect(variablesForSurvey({ mode: 'all' }, 'srv_1', 'srv_2')).toEqual({ mode: 'all' });
  });
});

describe('the step a URL asks for', () => {
  const ready = {
    surveyId: 'srv_1',
    variables: { mode: 'all' as const },
    test: 'passed' as const,
    name: 'CRM',
  };
  it('is shown when every step before it can be left', () => {
    for (const step of WIZARD_STEPS) expect(reachableStep(step, ready)).toBe(step);
  });
  it('falls back to the first blocked step before it: no skipping the connection test', () => {
    expect(reachableStep('name', { ...ready, test: 'untested' })).toBe('url');
    expect(reachableStep('status', { ...ready, test: 'stale' })).toBe('url');
    expect(reachableStep('labels', { ...ready, surveyId: '' })).toBe('survey');
    expect(reachableStep('url', { ...ready, variables: { mode: 'specific', ids: [] } })).toBe('variables');
    expect(reachableStep('labels', { ...ready, test: 'untested' })).toBe('labels');
  });
});
