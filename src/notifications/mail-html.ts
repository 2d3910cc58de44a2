// The pieces every mail is built from: HTML escaping, one-line subjects, times, links and the page layout.

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
export function oneLine(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A time as mail shows it, the same in every language: `2026-01-15 12:00 UTC`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function link(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

export function strong(value: string): string {
  return `<strong>${escapeHtml(value)}</strong>`;
}

/** The HTML page of a mail: `paragraphs` are HTML already; `footer` is text. */
export function layout(lang: string, title: string, paragraphs: string[], footer: string | null): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933; max-width: 40em">',
    ...paragraphs,
    ...(footer ? [`<p style="color: #616e7c; font-size: 0.875em">${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
}
