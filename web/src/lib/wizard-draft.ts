// What has been entered in the creation wizard, kept in memory while the user visits the survey's data
// labels (or goes Back and Forward through the wizard's steps) and restored when the wizard opens at a
// step again. Memory only: the draft holds the new signing secret, which is never written to storage,
// so a reload starts afresh.
import type { TestResult, VariableSelection } from './types';

export interface WizardDraft {
  surveyId: string;
  variables: VariableSelection;
  labels: 'auto' | 'data';
  answerFormat: 'text' | 'code';
  url: string;
  headers: { key: number; name: string; value: string }[];
  test: { result: TestResult; settings: string } | null;
  name: string;
  enabled: boolean;
  secret: string;
}

let saved: WizardDraft | null = null;

/** The draft of the wizard that was open last, if any. */
export const loadWizardDraft = (): WizardDraft | null => saved;

export function saveWizardDraft(draft: WizardDraft): void {
  saved = draft;
}

/** Forgets the draft (the automation was created, or a new wizard starts). */
export function clearWizardDraft(): void {
  saved = null;
}
