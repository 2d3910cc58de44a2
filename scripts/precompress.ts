// After `vite build`: writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside each text file of
// web/dist that compression makes at least 10 % smaller, so `serve` sends compressed files without
// spending CPU per request or at start-up (src/http/web-ui.ts picks them up).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../web/dist', import.meta.url));
const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

let written = 0;
for (const file of walk(ROOT)) {
  if (!TEXT.has(extname(file))) continue;
  const body = readFileSync(file);
  if (body.length < 1024) continue;
  const br = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } });
  const gz = gzipSync(body, { level: 9 });
  if (br.length < body.length * 0.9) writeFileSync(`${file}.br`, br);
  if (gz.length < body.length * 0.9) writeFileSync(`${file}.gz`, gz);
  written += 1;
}
console.log(`precompressed ${written} files in ${ROOT}`);
