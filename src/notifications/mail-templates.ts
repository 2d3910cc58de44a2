// The failure e-mails, as plain text and HTML. Everything a user or a receiver controls (automation
// name, survey title, respondent names, error messages) is HTML-escaped; no secret, header, API key
// or receiver URL is ever part of a mail, and anonymous respondents appear only as "Anonymous".
import { FAILURE_CODES, FAILURE_HINTS, type FailureCode } from '../delivery/failure-hints.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailAutomation {
  id: string;
  name: string;
  surveyTitle: string;
}

export interface DisabledMailInput {
  publicUrl: string;
  automation: MailAutomation;
  reason: 'failures' | 'gone';
  /** Consecutive failed runs that disable an automation (the configured threshold). */
  failuresInARow: number;
  disabledAt: number;
  lastError: { code: string | null; message: string | null; hint: string | null; statusCode: number | null };
  /** Scheduled runs waiting for the automation to be enabled again. */
  heldRuns: number;
}

export interface DigestExample {
  /** Respondent name as the runs log shows it ("Anonymous" on anonymous surveys, "" when unknown). */
  name: string;
  at: number;
  error: string | null;
}

export interface DigestMailInput {
  publicUrl: string;
  automation: MailAutomation;
  failedCount: number;
  /** When the first of them failed. */
  since: number;
  examples: DigestExample[];
}

/** The web UI page of an automation (settings, enable switch, notification settings). */
export function automationLink(publicUrl: string, automationId: string): string {
  return `${publicUrl}/automations/${encodeURIComponent(automationId)}`;
}

/** The runs log of an automation, filtered to failed runs. */
export function failedRunsLink(publicUrl: string, automationId: string): string {
  return `${automationLink(publicUrl, automationId)}/runs?status=failed`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** One line, at most `max` characters: subjects must not carry line breaks from user input. */
function oneLine(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function isFailureCode(code: string | null): code is FailureCode {
  return code !== null && (FAILURE_CODES as readonly string[]).includes(code);
}

function describeError(e: DisabledMailInput['lastError']): { message: string; hint: string | null } {
  const entry = isFailureCode(e.code) ? FAILURE_HINTS[e.code] : null;
  return {
    message: e.message ?? entry?.message ?? 'The receiver could not be reached.',
    hint: e.hint ?? entry?.hint ?? null,
  };
}

const FOOTER =
  'You get this e-mail because you are a recipient of failure notifications for this automation. ' +
  'Change the recipients or turn the notifications off on the automation page.';

function layout(title: string, paragraphs: string[]): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>' + escapeHtml(title) + '</title></head>',
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933; max-width: 40em">',
    ...paragraphs,
    `<p style="color: #616e7c; font-size: 0.875em">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
}

function link(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

/** The mail sent at once when an automation is disabled by failures or by a 410 answer. */
export function disabledMail(input: DisabledMailInput): MailContent {
  const { automation: a, publicUrl } = input;
  const name = oneLine(a.name);
  const subject =
    input.reason === 'gone'
      ? `Automation "${name}" was disabled: the receiver answered 410 Gone`
      : `Automation "${name}" was disabled after ${plural(input.failuresInARow, 'failed run', 'failed runs')} in a row`;
  const why =
    input.reason === 'gone'
      ? 'The receiver answered 410 Gone: it says this endpoint is gone for good.'
      : `${plural(input.failuresInARow, 'run', 'runs')} in a row failed, so Svarbud stopped sending to the receiver.`;
  const error = describeError(input.lastError);
  const held =
    input.heldRuns === 0
      ? 'No runs are waiting. New responses are kept as held runs until you enable the automation again.'
      : `${plural(input.heldRuns, 'run is', 'runs are')} held. They are sent when you enable the automation again; new responses are held too.`;
  const enableUrl = automationLink(publicUrl, a.id);
  const runsUrl = failedRunsLink(publicUrl, a.id);
  const text = [
    `The automation "${a.name}" of the survey "${a.surveyTitle}" was disabled at ${formatTime(input.disabledAt)}.`,
    '',
    `Why: ${why}`,
    '',
    `Last error: ${error.message}`,
    ...(error.hint ? [`What to do: ${error.hint}`] : []),
    '',
    held,
    '',
    `Enable the automation again once the receiver works: ${enableUrl}`,
    `See the failed runs: ${runsUrl}`,
    '',
    '--',
    FOOTER,
    '',
  ].join('\n');
  const html = layout(subject, [
    `<p>The automation <strong>${escapeHtml(a.name)}</strong> of the survey <strong>${escapeHtml(a.surveyTitle)}</strong> was disabled at ${escapeHtml(formatTime(input.disabledAt))}.</p>`,
    `<p><strong>Why:</strong> ${escapeHtml(why)}</p>`,
    `<p><strong>Last error:</strong> ${escapeHtml(error.message)}` +
      (error.hint ? `<br><strong>What to do:</strong> ${escapeHtml(error.hint)}` : '') +
      '</p>',
    `<p>${escapeHtml(held)}</p>`,
    `<p>${link(enableUrl, 'Enable the automation again')} once the receiver works · ${link(runsUrl, 'See the failed runs')}</p>`,
  ]);
  return { subject, text, html };
}

function exampleLine(e: DigestExample): { who: string; at: string; error: string } {
  return {
    who: e.name.trim() === '' ? '(no name)' : e.name,
    at: formatTime(e.at),
    error: e.error ?? 'Failed.',
  };
}

/** The hourly digest: how many runs failed since the last one, a few examples, the failed runs link. */
export function digestMail(input: DigestMailInput): MailContent {
  const { automation: a, publicUrl } = input;
  const name = oneLine(a.name);
  const subject = `${plural(input.failedCount, 'run', 'runs')} of automation "${name}" failed`;
  const summary = `${plural(input.failedCount, 'run', 'runs')} of the automation "${a.name}" (survey "${a.surveyTitle}") failed since ${formatTime(input.since)}.`;
  const shown = input.examples.map(exampleLine);
  const more = input.failedCount - shown.length;
  const runsUrl = failedRunsLink(publicUrl, a.id);
  const settingsUrl = automationLink(publicUrl, a.id);
  const examplesTitle = shown.length < input.failedCount ? 'Examples:' : 'Failed runs:';
  const text = [
    summary,
    '',
    ...(shown.length > 0 ? [examplesTitle, ...shown.map((e) => `- ${e.who}, ${e.at}: ${e.error}`), ''] : []),
    ...(more > 0 ? [`…and ${plural(more, 'more run', 'more runs')}.`, ''] : []),
    `See the failed runs and send them again: ${runsUrl}`,
    `Automation settings: ${settingsUrl}`,
    '',
    '--',
    FOOTER,
    '',
  ].join('\n');
  const html = layout(subject, [
    `<p>${escapeHtml(summary)}</p>`,
    ...(shown.length > 0
      ? [
          `<p><strong>${escapeHtml(examplesTitle)}</strong></p>`,
          '<ul>',
          ...shown.map(
            (e) =>
              `<li><strong>${escapeHtml(e.who)}</strong>, ${escapeHtml(e.at)}: ${escapeHtml(e.error)}</li>`,
          ),
          '</ul>',
        ]
      : []),
    ...(more > 0 ? [`<p>…and ${escapeHtml(plural(more, 'more run', 'more runs'))}.</p>`] : []),
    `<p>${link(runsUrl, 'See the failed runs and send them again')} · ${link(settingsUrl, 'Automation settings')}</p>`,
  ]);
  return { subject, text, html };
}
