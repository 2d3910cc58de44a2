// The demo: an organization, a member whose sign-in details are printed once, and a demo survey
// (non-anonymous, a custom background variable, one question of each type, a few data labels).
import { hashPassword } from './accounts/passwords.js';
import {
  insertOrganizationWithUser,
  countOrganizations,
  findUserByEmail,
} from './accounts/accounts.store.js';
import { createAutomation } from './automations/automations.service.js';
import type { AppContext } from './context.js';
import { defaultInbox, inboxUrl } from './inbox/inbox.service.js';
import { newId, randomToken } from './ids.js';
import { newOptions, newQuestion, SYSTEM_VARIABLES, type SurveyDefinition } from './surveys/survey-model.js';
import { insertSurvey } from './surveys/surveys.store.js';

export const DEMO_SURVEY_TITLE = 'Employee pulse (demo)';

export const DEMO_AUTOMATION_NAME = 'Demo inbox';

export interface DemoDetails {
  orgId: string;
  email: string;
  password: string;
  surveyId: string;
  surveyTitle: string;
  /** The respondent page is `/r/<publicToken>`. */
  publicToken: string;
  automationId: string;
  automationName: string;
  inboxId: string;
  /** Where the demo automation posts: the organization's default inbox. */
  inboxUrl: string;
}

export function demoDefinition(): SurveyDefinition {
  return {
    backgroundVariables: [
      ...SYSTEM_VARIABLES.map((s) => ({ id: newId('var'), name: s.name, system: s.system, dataLabel: null })),
      { id: newId('var'), name: 'Department', system: null, dataLabel: 'department' },
    ],
    questions: [
      newQuestion({
        type: 'single_choice',
        text: 'How satisfied are you with your work overall?',
        options: newOptions(['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied']),
        dataLabel: 'satisfaction',
      }),
      newQuestion({
        type: 'multiple_choice',
        text: 'Which benefits do you use?',
        options: newOptions(['Gym', 'Lunch', 'Home office', 'Training']),
      }),
      newQuestion({ type: 'text', text: 'What should we improve?', dataLabel: 'improvement' }),
      newQuestion({ type: 'number', text: 'How many hours did you work last week?' }),
      newQuestion({
        type: 'scale',
        text: 'How likely are you to recommend us as an employer?',
        min: 0,
        max: 10,
        dataLabel: 'enps',
      }),
      newQuestion({ type: 'date', text: 'When did you start?' }),
      newQuestion({
        type: 'matrix',
        text: 'How do you rate…',
        options: newOptions(['Poor', 'Fair', 'Good', 'Excellent']),
        rows: [
          { id: newId('row'), text: 'your team', variableId: newId('var'), dataLabel: 'rating_team' },
          { id: newId('row'), text: 'your manager', variableId: newId('var'), dataLabel: null },
        ],
      }),
    ],
  };
}

/** Creates the demo organization, member and survey; returns the details to print once. */
export async function seedDemo(ctx: AppContext): Promise<DemoDetails> {
  const now = ctx.clock.now();
  let email = 'demo@svarbud.local';
  for (let n = 2; await findUserByEmail(ctx.db, email); n++) email = `demo${n}@svarbud.local`;
  const password = randomToken(12);
  const org = { id: newId('org', now), name: 'Demo organization', created_at: now };
  await insertOrganizationWithUser(ctx.db, org, {
    id: newId('usr', now),
    org_id: org.id,
    email,
    name: 'Demo Owner',
    password_hash: await hashPassword(password, ctx.config.passwordHashCost),
    created_at: now,
  });
  const surveyId = newId('srv', now);
  const publicToken = randomToken(24);
  await insertSurvey(ctx.db, {
    id: surveyId,
    orgId: org.id,
    title: DEMO_SURVEY_TITLE,
    anonymous: false,
    publicToken,
    definition: demoDefinition(),
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  // Works out of the box: every completed demo response is delivered, signed, to the built-in inbox.
  const inbox = await defaultInbox(ctx, org.id);
  const url = inboxUrl(ctx.config.publicUrl, inbox.token);
  const automation = await createAutomation(ctx, org.id, {
    surveyId,
    name: DEMO_AUTOMATION_NAME,
    url,
    enabled: true,
    variables: { mode: 'all' },
    labels: 'data',
  });
  return {
    orgId: org.id,
    email,
    password,
    surveyId,
    surveyTitle: DEMO_SURVEY_TITLE,
    publicToken,
    automationId: automation.id,
    automationName: DEMO_AUTOMATION_NAME,
    inboxId: inbox.id,
    inboxUrl: url,
  };
}

/** Seeds the demo only on a database with no organization at all (first start). */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<DemoDetails | null> {
  if ((await countOrganizations(ctx.db)) > 0) return null;
  return seedDemo(ctx);
}
