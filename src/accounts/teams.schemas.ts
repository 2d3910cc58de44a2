// The zod shapes of the members and invitations routes (API.md → Accounts).
import { z } from 'zod';
import { LANGUAGES, languageSchema } from '../http/language.js';
import { isoTime, storedText, tokenSchema } from '../http/schemas.js';

export const member = z
  .object({ id: z.string(), email: z.string(), name: z.string(), createdAt: isoTime })
  .meta({ id: 'Member', description: 'A member of the organization (signs in to the web UI).' });

export const invitationBody = z.object({
  email: z.string().trim().email('must be a valid e-mail address').max(254),
  language: languageSchema.optional(),
});

export const invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    language: z.enum(LANGUAGES).describe('the language of the invitation mail'),
    createdAt: isoTime,
    expiresAt: isoTime.describe('the link works until then (7 days), once'),
    invitedBy: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('the member who sent it; null when an API key did (or the member was removed)'),
  })
  .meta({ id: 'Invitation', description: 'A pending invitation: its link went out by mail.' });

export const acceptInvitationBody = z.object({
  token: tokenSchema.describe('the token of the invitation link (`/invite/<token>`)'),
  name: storedText(1, 100),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
});
