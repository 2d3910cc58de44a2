// The structure rules are real: ESLint (with this project's config) fails on an import cycle and on an
// engine branch or engine-specific SQL outside src/db/ (eslint.config.js). The fixtures are ignored by
// `npx eslint .` and linted here on purpose.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT, ignore: false });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint rules that keep the structure', () => {
  it('fails on an import cycle', async () => {
    const results = await eslint.lintFiles([
      'test/fixtures/lint/cycle-a.ts',
      'test/fixtures/lint/cycle-b.ts',
    ]);
    const rules = results.flatMap((r) => r.messages.map((m) => m.ruleId));
    expect(rules).toContain('import-x/no-cycle');
  }, 60_000);

  it('fails on an engine branch outside src/db/, and allows it inside', async () => {
    const code = "export const f = (engine: string): number => (engine === 'postgres' ? 1 : 2);\n";
    expect((await messages(code, 'src/runs/engine-branch.ts')).join('\n')).toMatch(
      /Engine branch outside src\/db/,
    );
    expect(await messages(code, 'src/db/engine-branch.ts')).toEqual([]);
  });

  it('fails on engine-specific SQL and row locking outside src/db/', async () => {
    const code = [
      "import { sql } from 'kysely';",
      'export const q = sql`select id from runs for update skip locked`;',
      'export const r = sql`select value from json_each(${"[]"})`;',
      '',
    ].join('\n');
    const found = await messages(code, 'src/notifications/engine-sql.ts');
    expect(found.filter((m) => m.includes('Engine-specific SQL'))).toHaveLength(2);
  });
});
