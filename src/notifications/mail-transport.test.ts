import { describe, expect, it } from 'vitest';
import { describeSendError, messageIdFor, smtpOptionsFromUrl } from './mail-transport.js';

describe('smtpOptionsFromUrl', () => {
  it('reads host, port, credentials (percent-decoded) and STARTTLS settings', () => {
    expect(
      smtpOptionsFromUrl('smtp://apikey:p%40ss%2Fword@smtp.example.com:587?requireTLS=true'),
    ).toMatchObject({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'apikey', pass: 'p@ss/word' },
    });
  });

  it('uses implicit TLS on 465 for smtps and takes TLS options', () => {
    const o = smtpOptionsFromUrl(
      'smtps://mail.example.com?tls.rejectUnauthorized=false&tls.servername=relay.example.com',
    );
    expect(o).toMatchObject({ host: 'mail.example.com', port: 465, secure: true });
    expect(o.tls).toEqual({ rejectUnauthorized: false, servername: 'relay.example.com' });
    expect(o.auth).toBeUndefined();
  });

  it('defaults plain smtp to the submission port', () => {
    expect(smtpOptionsFromUrl('smtp://localhost')).toMatchObject({
      host: 'localhost',
      port: 587,
      secure: false,
    });
  });
});

describe('messageIdFor', () => {
  it('uses the domain of the sender address', () => {
    expect(messageIdFor('mail_1', 'Svarbud <alerts@svarbud.example.com>')).toBe(
      '<mail_1@svarbud.example.com>',
    );
    expect(messageIdFor('mail_1', 'ops@example.org')).toBe('<mail_1@example.org>');
    expect(messageIdFor('mail_1', 'Svarbud')).toBe('<mail_1@svarbud.invalid>');
  });
});

describe('describeSendError', () => {
  it('keeps the code, the SMTP reply code and the message, shortened', () => {
    const err = Object.assign(new Error('Mail command failed: 451 Try again later'), {
      code: 'EENVELOPE',
      responseCode: 451,
    });
    expect(describeSendError(err)).toBe('EENVELOPE 451: Mail command failed: 451 Try again later');
    expect(describeSendError(new Error('x'.repeat(1000))).length).toBe(500);
  });
});
