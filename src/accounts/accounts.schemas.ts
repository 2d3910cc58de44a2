// The zod shapes of the accounts routes: what they take and what they answer (API.md → Accounts).
import { z } from 'zod';
import { isoTime, storedText } from '../http/schemas.js';

const email = z.string().trim().email('must be a valid e-mail address').max(254);

export const signupBody = z.object({
  email,
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  name: storedText(1, 100),
  organizationName: storedText(1, 100),
});
export const loginBody = z.object({
  email: storedText(1, 254),
  password: z.string().min(1).max(200),
});
export const apiKeyBody = z.object({ name: storedText(1, 100) });

export const user = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: 'User' });
export const organization = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Organization' });

export const signedIn = z
  .object({ user, organization })
  .meta({ id: 'SignedIn', description: 'Signed in: the session cookie is set.' });

export const me = z
  .object({
    user: user.nullable().describe('null when the caller is an API key'),
    organization,
    csrfToken: z.string().nullable().describe('send it as X-CSRF-Token on cookie requests that change state'),
    runRetentionDays: z.number().int(),
    devMailbox: z
      .boolean()
      .describe(
        'true when no SMTP server is configured: mail is kept in the dev mailbox (`GET /dev/mailbox`)',
      ),
  })
  .meta({ id: 'Me', description: 'Who is calling.' });

export const createdApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().describe('the key itself: shown only in this answer'),
    prefix: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'CreatedApiKey', description: 'The new key (the only time `key` is shown).' });

export const apiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: isoTime,
    lastUsedAt: isoTime.nullable(),
  })
  .meta({ id: 'ApiKey' });
