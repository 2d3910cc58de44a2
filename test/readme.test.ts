import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDocRows } from '../src/config.js';

describe('README', () => {
  // Prettier pads table cells; compare with runs of spaces collapsed.
  const squash = (text: string) => text.replace(/ {2,}/g, ' ');
  const readme = squash(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
  it('documents every setting exactly as src/config.ts defines it', () => {
    for (const row of configDocRows()) expect(readme).toContain(squash(row));
  });
  it('gives the two commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
