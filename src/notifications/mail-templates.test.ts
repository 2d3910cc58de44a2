import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestMail, disabledMail, escapeHtml } from './mail-templates.js';

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
