// Rules for text the API stores: PostgreSQL text cannot hold the NUL character, so every stored string
// and every id that reaches a query is refused with a 400 naming its field instead of failing with a 500.

/** True when `s` holds no NUL character. */
export const noNul = (s: string): boolean => !s.includes('\u0000');

export const NUL = 'must not contain the NUL character';
