// The notification and invitation e-mails, as plain text and HTML, in the recipient's language (English or
// Norwegian; the wording is in ./locales). Everything a user or a receiver controls (automation name,
// survey title, respondent names, error messages) is HTML-escaped; no secret, header, API key or receiver
// URL is ever part of a mail, and anonymous respondents appear only as "Anonymous" ("Anonym").
import { STATUS_CODES } from 'node:http';
import { FAILURE_CODES, FAILURE_HINTS, type FailureCode } from '../delivery/failure-hints.js';
import type { Language } from '../http/language.js';
import { escapeHtml, formatTime, layout, link, oneLine, strong } from './mail-html.js';
import { mailWords, type MailWords } from './mail-i18n.js';

export { escapeHtml };

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

/** How an attempt failed, as the attempt log stored it (English), with its code for other languages. */
export interface MailError {
  code: string | null;
  message: string | null;
  hint: string | null;
  statusCode: number | null;
}

export interface DisabledMailInput {
  publicUrl: string;
  language: Language;
  automation: MailAutomation;
  reason: 'failures' | 'gone';
  /** Consecutive failed runs that disable an automation (the configured threshold). */
  failuresInARow: number;
  disabledAt: number;
  lastError: MailError;
  /** Scheduled runs waiting for the automation to be enabled again. */
  heldRuns: number;
}

export interface AtRiskMailInput {
  publicUrl: string;
  language: Language;
  automation: MailAutomation;
  /** The failure streak now, and the streak that disables the automation. */
  streak: number;
  disableAt: number;
  /** When the latest failed run ended, and its error. */
  failedAt: number;
  lastError: MailError;
}

export interface DigestExample {
  /** Respondent name as the runs log shows it ("" when unknown); null on anonymous surveys. */
  name: string | null;
  at: number;
  error: MailError | null;
}

export interface DigestMailInput {
  publicUrl: string;
  language: Language;
  automation: MailAutomation;
  failedCount: number;
  /** When the first of them failed. */
  since: number;
  examples: DigestExample[];
}

export interface InvitationMailInput {
  publicUrl: string;
  language: Language;
  organizationName: string;
  /** The inviting member's name; null when an API key sent it. */
  inviterName: string | null;
  /** The single-use token of the link (only ever in this mail). */
  token: string;
  expiresAt: number;
}

/** The web UI page of an automation (settings, enable switch, notification settings). */
export function automationLink(publicUrl: string, automationId: string): string {
  return `${publicUrl}/automations/${encodeURIComponent(automationId)}`;
}

/** The runs log of an automation, filtered to failed runs. */
export function failedRunsLink(publicUrl: string, automationId: string): string {
  return `${automationLink(publicUrl, automationId)}/runs?status=failed`;
}

/** The web UI page that accepts an invitation. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${encodeURIComponent(token)}`;
}

function isFailureCode(code: string | null): code is FailureCode {
  return code !== null && (FAILURE_CODES as readonly string[]).includes(code);
}

/**
 * The error's message and hint in the mail's language: English as the attempt stored it; other languages
 * say it again from the failure code (and the status code of an HTTP_STATUS failure), else English.
 */
export function describeError(w: MailWords, e: MailError): { message: string; hint: string | null } {
  if (isFailureCode(e.code) && w.has(`failures:failure.${e.code}`)) {
    if (e.code === 'HTTP_STATUS' && e.statusCode !== null) {
      const text = STATUS_CODES[e.statusCode];
      const status = `${e.statusCode}${text ? ` ${text}` : ''}`;
      const specific = `failures:statusHint.${e.statusCode}`;
      const hint = w.has(specific)
        ? specific
        : e.statusCode >= 500
          ? 'failures:statusHint.500'
          : 'failures:hint.HTTP_STATUS';
      return { message: w.text('failures:failure.status', { status }), hint: w.text(hint) };
    }
    return { message: w.text(`failures:failure.${e.code}`), hint: w.text(`failures:hint.${e.code}`) };
  }
  const entry = isFailureCode(e.code) ? FAILURE_HINTS[e.code] : null;
  return {
    message: e.message ?? entry?.message ?? w.text('common.unreachable'),
    hint: e.hint ?? entry?.hint ?? null,
  };
}

function quoted(w: MailWords, value: string): string {
  return w.text('common.quote', { value });
}

/** "Label: value" as a text line and as HTML with the label in bold. */
function labelled(w: MailWords, labelKey: string, value: string) {
  const label = w.text(labelKey);
  return { text: `${label} ${value}`, html: `<strong>${escapeHtml(label)}</strong> ${escapeHtml(value)}` };
}

function errorLines(w: MailWords, e: MailError) {
  const error = describeError(w, e);
  const message = labelled(w, 'common.lastError', error.message);
  const hint = error.hint ? labelled(w, 'common.whatToDo', error.hint) : null;
  return {
    text: [message.text, ...(hint ? [hint.text] : [])],
    html: `<p>${message.html}${hint ? `<br>${hint.html}` : ''}</p>`,
  };
}

function textOf(lines: string[], footer: string | null): string {
  return [...lines, ...(footer ? ['', '--', footer] : []), ''].join('\n');
}

/** The mail sent at once when an automation is disabled by failures or by a 410 answer. */
export function disabledMail(input: DisabledMailInput): MailContent {
  const { automation: a, publicUrl } = input;
  const w = mailWords(input.language);
  const name = oneLine(a.name);
  const count = input.failuresInARow;
  const subject =
    input.reason === 'gone'
      ? w.text('disabled.subjectGone', { name })
      : w.text('disabled.subjectFailures', { name, count });
  const reason =
    input.reason === 'gone' ? w.text('disabled.whyGone') : w.text('disabled.whyFailures', { count });
  const held =
    input.heldRuns === 0 ? w.text('disabled.heldNone') : w.text('disabled.held', { count: input.heldRuns });
  const enableUrl = automationLink(publicUrl, a.id);
  const runsUrl = failedRunsLink(publicUrl, a.id);
  const time = formatTime(input.disabledAt);
  const error = errorLines(w, input.lastError);
  const why = labelled(w, 'disabled.why', reason);
  const enableLabel = w.text('disabled.enableLink');
  const footer = w.text('common.footer');
  const text = textOf(
    [
      w.text('disabled.intro', { name: quoted(w, a.name), survey: quoted(w, a.surveyTitle), time }),
      '',
      why.text,
      '',
      ...error.text,
      '',
      held,
      '',
      `${w.text('disabled.enable', { link: enableLabel })}: ${enableUrl}`,
      `${w.text('disabled.failedRuns')}: ${runsUrl}`,
    ],
    footer,
  );
  const html = layout(
    input.language,
    subject,
    [
      `<p>${w.html('disabled.intro', { time }, { name: strong(a.name), survey: strong(a.surveyTitle) })}</p>`,
      `<p>${why.html}</p>`,
      error.html,
      `<p>${escapeHtml(held)}</p>`,
      `<p>${w.html('disabled.enable', {}, { link: link(enableUrl, enableLabel) })} · ${link(runsUrl, w.text('disabled.failedRuns'))}</p>`,
    ],
    footer,
  );
  return { subject, text, html };
}

/** The warning before disabling: the streak reached the warning point (one mail per streak). */
export function atRiskMail(input: AtRiskMailInput): MailContent {
  const { automation: a, publicUrl } = input;
  const w = mailWords(input.language);
  const counts = { count: input.streak, disableAt: input.disableAt };
  const subject = w.text('atRisk.subject', { name: oneLine(a.name), ...counts });
  const time = formatTime(input.failedAt);
  const remaining = w.text('atRisk.remaining', { count: Math.max(1, input.disableAt - input.streak) });
  const pageUrl = automationLink(publicUrl, a.id);
  const runsUrl = failedRunsLink(publicUrl, a.id);
  const error = errorLines(w, input.lastError);
  const checkLabel = w.text('atRisk.checkLink');
  const footer = w.text('common.footer');
  const text = textOf(
    [
      w.text('atRisk.intro', { name: quoted(w, a.name), survey: quoted(w, a.surveyTitle), time, ...counts }),
      '',
      ...error.text,
      '',
      remaining,
      '',
      `${w.text('atRisk.check', { link: checkLabel })}: ${pageUrl}`,
      `${w.text('atRisk.failedRuns')}: ${runsUrl}`,
    ],
    footer,
  );
  const html = layout(
    input.language,
    subject,
    [
      `<p>${w.html('atRisk.intro', { time, ...counts }, { name: strong(a.name), survey: strong(a.surveyTitle) })}</p>`,
      error.html,
      `<p>${escapeHtml(remaining)}</p>`,
      `<p>${w.html('atRisk.check', {}, { link: link(pageUrl, checkLabel) })} · ${link(runsUrl, w.text('atRisk.failedRuns'))}</p>`,
    ],
    footer,
  );
  return { subject, text, html };
}

function exampleLine(w: MailWords, e: DigestExample): { who: string; at: string; error: string } {
  const who =
    e.name === null ? w.text('common.anonymous') : e.name.trim() === '' ? w.text('common.noName') : e.name;
  return {
    who,
    at: formatTime(e.at),
    error: e.error ? describeError(w, e.error).message : w.text('common.failed'),
  };
}

/** The hourly digest: how many runs failed since the last one, a few examples, the failed runs link. */
export function digestMail(input: DigestMailInput): MailContent {
  const { automation: a, publicUrl } = input;
  const w = mailWords(input.language);
  const count = input.failedCount;
  const subject = w.text('digest.subject', { name: oneLine(a.name), count });
  const time = formatTime(input.since);
  const shown = input.examples.map((e) => exampleLine(w, e));
  const more = count - shown.length;
  const runsUrl = failedRunsLink(publicUrl, a.id);
  const settingsUrl = automationLink(publicUrl, a.id);
  const examplesTitle = shown.length < count ? w.text('digest.examples') : w.text('digest.all');
  const moreLine = more > 0 ? w.text('digest.more', { count: more }) : null;
  const footer = w.text('common.footer');
  const text = textOf(
    [
      w.text('digest.summary', { count, name: quoted(w, a.name), survey: quoted(w, a.surveyTitle), time }),
      '',
      ...(shown.length > 0
        ? [examplesTitle, ...shown.map((e) => `- ${e.who}, ${e.at}: ${e.error}`), '']
        : []),
      ...(moreLine ? [moreLine, ''] : []),
      `${w.text('digest.replay')}: ${runsUrl}`,
      `${w.text('digest.settings')}: ${settingsUrl}`,
    ],
    footer,
  );
  const html = layout(
    input.language,
    subject,
    [
      `<p>${w.html('digest.summary', { count, time }, { name: strong(a.name), survey: strong(a.surveyTitle) })}</p>`,
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
      ...(moreLine ? [`<p>${escapeHtml(moreLine)}</p>`] : []),
      `<p>${link(runsUrl, w.text('digest.replay'))} · ${link(settingsUrl, w.text('digest.settings'))}</p>`,
    ],
    footer,
  );
  return { subject, text, html };
}

/** The invitation to join an organization: the single-use link, when it expires, what to do if unexpected. */
export function invitationMail(input: InvitationMailInput): MailContent {
  const w = mailWords(input.language);
  const organization = oneLine(input.organizationName);
  const inviter = input.inviterName === null ? null : oneLine(input.inviterName);
  const subject =
    inviter === null
      ? w.text('invitation.subjectAnonymous', { organization })
      : w.text('invitation.subject', { inviter, organization });
  const url = invitationLink(input.publicUrl, input.token);
  const acceptLabel = w.text('invitation.acceptLink');
  const introKey = inviter === null ? 'invitation.introAnonymous' : 'invitation.intro';
  const expires = w.text('invitation.expires', { time: formatTime(input.expiresAt) });
  const text = textOf(
    [
      w.text(introKey, { inviter: inviter ?? '', organization: quoted(w, input.organizationName) }),
      '',
      `${w.text('invitation.accept', { link: acceptLabel })}: ${url}`,
      expires,
      '',
      w.text('invitation.ignore'),
    ],
    null,
  );
  const html = layout(
    input.language,
    subject,
    [
      `<p>${w.html(introKey, { inviter: inviter ?? '' }, { organization: strong(input.organizationName) })}</p>`,
      `<p>${w.html('invitation.accept', {}, { link: link(url, acceptLabel) })}</p>`,
      `<p>${escapeHtml(expires)}</p>`,
      `<p style="color: #616e7c; font-size: 0.875em">${escapeHtml(w.text('invitation.ignore'))}</p>`,
    ],
    null,
  );
  return { subject, text, html };
}
