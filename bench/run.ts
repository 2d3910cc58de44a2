// npm run bench [-- <name> ...]: runs bench/<name>.ts (default: every benchmark listed below).
// Each benchmark measures the raw ceiling in the same run and prints ratios to it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT = ['delivery', 'release', 'liveness', 'runs-query', 'backfill', 'sqlite-statements'];

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of names.length > 0 ? names : DEFAULT) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  if (!existsSync(file)) {
    console.error(`No benchmark "${name}" (expected ${file}).`);
    process.exit(2);
  }
  const mod = (await import(file)) as { main?: (args: string[]) => Promise<void> };
  if (!mod.main) throw new Error(`${file} exports no main()`);
  console.log(`\n=== ${name} ===`);
  await mod.main(process.argv.slice(2));
}
