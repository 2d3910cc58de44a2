import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atRiskMail, digestMail, disabledMail, escapeHtml, invitationMail } from './mail-templates.js';

const automation = { id: 'aut_1', name: 'CRM\r\nBcc: evil@example.com', surveyTitle: 'Pulse' };

describe('escapeHtml', () => {
  it('leaves no markup-significant character unescaped', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
        expect(escapeHtml(s).replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('subjects', () => {
  it('are one line even when a name has line breaks', () => {
    const d = disabledMail({
      publicUrl: 'https://x.example',
      language: 'en',
      automation,
      reason: 'failures',
      failuresInARow: 5,
      disabledAt: 0,
      lastError: { code: 'TIMEOUT', message: null, hint: null, statusCode: null },
      heldRuns: 1,
    });
    expect(d.subject).toBe(
      'Automation "CRM Bcc: evil@example.com" was disabled after 5 failed runs in a row',
    );
    // The catalogue fills in a missing message and hint.
    expect(d.text).toContain('Last error: The receiver did not answer in time.');
    expect(d.text).toContain('What to do: The receiver must answer within the timeout');
    expect(d.text).toContain('1 run is held.');
    const g = digestMail({
      publicUrl: 'https://x.example',
      language: 'en',
      automation,
      failedCount: 1,
      since: 0,
      examples: [],
    });
    expect(g.subject).toBe('1 run of automation "CRM Bcc: evil@example.com" failed');
    expect(g.subject).not.toMatch(/[\r\n]/);
  });

  it('shorten very long names', () => {
    const g = digestMail({
      publicUrl: 'https://x.example',
      language: 'en',
      automation: { ...automation, name: 'x'.repeat(500) },
      failedCount: 2,
      since: 0,
      examples: [{ name: '', at: 0, error: null }],
    });
    expect(g.subject.length).toBeLessThan(120);
    expect(g.text).toContain('- (no name), 1970-01-01 00:00 UTC: Failed.');
    expect(g.text).toContain('…and 1 more run.');
  });
});

describe('languages', () => {
  const base = {
    publicUrl: 'https://x.example',
    automation: { id: 'aut_1', name: 'CRM', surveyTitle: 'Puls' },
  };
  const http500 = {
    code: 'HTTP_STATUS',
    message: 'The receiver answered 500 Internal Server Error.',
    hint: 'Check its logs.',
    statusCode: 500,
  };

  it('write the at-risk mail in English and Norwegian, with the streak, the last error and its hint', () => {
    const input = { ...base, streak: 3, disableAt: 5, failedAt: 0, lastError: http500 };
    const en = atRiskMail({ ...input, language: 'en' });
    expect(en.subject).toBe('Automation "CRM" is at risk: 3 of 5 failed runs before it is disabled');
    expect(en.text).toContain('The last 3 runs of the automation "CRM" of the survey "Puls" failed in a row');
    expect(en.text).toContain('Last error: The receiver answered 500 Internal Server Error.');
    expect(en.text).toContain('What to do: Check its logs.');
    expect(en.text).toContain('2 more failed runs and Svarbud stops sending');
    expect(en.text).toContain(
      'Open the automation: test the connection, fix the receiver, and send the failed runs again: https://x.example/automations/aut_1\n',
    );
    expect(en.html).toContain('<html lang="en">');
    const nb = atRiskMail({ ...input, language: 'nb' });
    expect(nb.subject).toBe(
      'Automatiseringen «CRM» står i fare: 3 av 5 mislykkede kjøringer før den deaktiveres',
    );
    expect(nb.text).toContain(
      'De siste 3 kjøringene av automatiseringen «CRM» for undersøkelsen «Puls» mislyktes på rad',
    );
    // The attempt stored its error in English: Norwegian mail says it again from the code.
    expect(nb.text).toContain('Siste feil: Mottakeren svarte 500 Internal Server Error.');
    expect(nb.text).toContain('Hva du kan gjøre: Mottakeren fikk en intern feil');
    expect(nb.text).toContain(
      'spill de mislykkede kjøringene på nytt: https://x.example/automations/aut_1\n',
    );
    expect(nb.text).toContain('feilvarslinger');
    expect(nb.text).not.toContain('The receiver');
    expect(nb.html).toContain('<html lang="nb">');
    expect(nb.html).toContain('<strong>Siste feil:</strong> Mottakeren svarte 500');
    // Plurals follow the language's rules: one more run to go.
    expect(atRiskMail({ ...input, streak: 4, language: 'nb' }).text).toContain('Én mislykket kjøring til');
    expect(atRiskMail({ ...input, streak: 4, language: 'en' }).text).toContain('One more failed run');
  });

  it('write the disable mail and the digest in Norwegian, "Anonym" for anonymous respondents', () => {
    const d = disabledMail({
      ...base,
      language: 'nb',
      reason: 'failures',
      failuresInARow: 5,
      disabledAt: 0,
      lastError: {
        code: 'TIMEOUT',
        message: 'The receiver did not answer in time.',
        hint: null,
        statusCode: null,
      },
      heldRuns: 1,
    });
    expect(d.subject).toBe('Automatiseringen «CRM» ble deaktivert etter 5 mislykkede kjøringer på rad');
    expect(d.text).toContain('Hvorfor: 5 kjøringer på rad mislyktes');
    expect(d.text).toContain('Siste feil: Mottakeren svarte ikke i tide.');
    expect(d.text).toContain('1 kjøring holdes tilbake. Den sendes');
    expect(d.text).toContain(
      'Aktiver automatiseringen igjen når mottakeren virker: https://x.example/automations/aut_1\n',
    );
    const g = digestMail({
      ...base,
      language: 'nb',
      failedCount: 3,
      since: 0,
      examples: [
        { name: null, at: 0, error: http500 },
        { name: '', at: 0, error: null },
      ],
    });
    expect(g.subject).toBe('3 kjøringer av automatiseringen «CRM» mislyktes');
    expect(g.text).toContain('- Anonym, 1970-01-01 00:00 UTC: Mottakeren svarte 500 Internal Server Error.');
    expect(g.text).toContain('- (uten navn), 1970-01-01 00:00 UTC: Mislykket.');
    expect(g.text).toContain('…og 1 kjøring til.');
    expect(g.text).toContain(
      'Se de mislykkede kjøringene og spill dem på nytt: https://x.example/automations/aut_1/runs?status=failed',
    );
  });

  it('write the invitation in both languages, with the single-use link and when it expires', () => {
    const input = {
      publicUrl: 'https://x.example',
      organizationName: 'Acme <HR>',
      inviterName: 'Kari\r\nBcc: x@example.com',
      token: 'tok_123',
      expiresAt: Date.UTC(2026, 0, 8, 12, 0),
    };
    const en = invitationMail({ ...input, language: 'en' });
    expect(en.subject).toBe('Kari Bcc: x@example.com invited you to Acme <HR> on Svarbud');
    expect(en.text).toContain(
      'Accept the invitation and choose your name and password: https://x.example/invite/tok_123\n',
    );
    expect(en.text).toContain('expires at 2026-01-08 12:00 UTC');
    expect(en.html).toContain('<a href="https://x.example/invite/tok_123">Accept the invitation</a>');
    expect(en.html).toContain('<strong>Acme &lt;HR&gt;</strong>');
    const nb = invitationMail({ ...input, inviterName: null, language: 'nb' });
    expect(nb.subject).toBe('Du er invitert til Acme <HR> i Svarbud');
    expect(nb.text).toContain(
      'Godta invitasjonen og velg navn og passord: https://x.example/invite/tok_123\n',
    );
    expect(nb.text).toContain('utløper 2026-01-08 12:00 UTC');
  });
});
