// Who gets failure notifications: the rules for the recipient list of one automation.
export const MAX_RECIPIENTS = 20;

// A practical address check (what a sign-up form accepts): one @, a dotted domain of letters, digits
// and hyphens, no spaces or angle brackets, at most 254 characters (RFC 5321).
const ADDRESS =
  /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

// A type alias (not an interface), so it fits the error catalogue's detail shape.
export type RecipientProblem = { field: string; message: string };

/** True for an address notifications may be sent to (expects it trimmed and lower-cased). */
export function isValidAddress(address: string): boolean {
  if (address.length > 254) return false;
  const local = address.slice(0, address.lastIndexOf('@'));
  if (local.length === 0 || local.length > 64 || local.startsWith('.') || local.endsWith('.')) return false;
  if (local.includes('..')) return false;
  return ADDRESS.test(address);
}

/**
 * Trims, lower-cases and de-duplicates `raw` (first occurrence wins, order kept). Problems name the
 * position in the list as sent (`recipients.N`); more than 20 distinct addresses is one problem too.
 */
export function normalizeRecipients(raw: readonly string[]): {
  recipients: string[];
  problems: RecipientProblem[];
} {
  const recipients: string[] = [];
  const problems: RecipientProblem[] = [];
  raw.forEach((value, i) => {
    const address = value.trim().toLowerCase();
    if (!isValidAddress(address)) {
      problems.push({ field: `recipients.${i}`, message: `"${value}" is not a valid e-mail address` });
      return;
    }
    if (!recipients.includes(address)) recipients.push(address);
  });
  if (recipients.length > MAX_RECIPIENTS) {
    problems.push({
      field: 'recipients',
      message: `at most ${MAX_RECIPIENTS} recipients are allowed, got ${recipients.length}`,
    });
  }
  return { recipients, problems };
}
