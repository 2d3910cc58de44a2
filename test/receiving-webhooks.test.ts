// docs/receiving-webhooks.md's Node receiver, run as written against real deliveries: it verifies the
// signature with standardwebhooks, answers at once, and handles a repeated webhook-id only once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/db.js';
import { createDeliveryHarness, type DeliveryHarness } from './helpers/delivery.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GUIDE = join(ROOT, 'docs/receiving-webhooks.md');

/** The first ```js block after the `node-receiver` marker, byte for byte. */
export function nodeReceiverSnippet(markdown: string): string {
  const marker = markdown.indexOf('<!-- node-receiver');
  if (marker < 0) throw new Error('no node-receiver marker in the guide');
  const match = /```js\n([\s\S]*?)```/.exec(markdown.slice(marker));
  if (!match) throw new Error('no js block after the marker');
  return match[1]!;
}

interface Receiver {
  child: ChildProcess;
  port: number;
  lines: string[];
  dir: string;
}

async function startSnippet(secret: string): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'svarbud-guide-'));
  // The snippet imports standardwebhooks as a receiver's project would: from its own node_modules.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'receiver.mjs'), nodeReceiverSnippet(readFileSync(GUIDE, 'utf8')));
  const child = spawn(process.execPath, ['receiver.mjs'], {
    cwd: dir,
    env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const listening = /^listening on (\d+)$/.exec(line);
        if (listening) resolve(Number(listening[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
    setTimeout(() => reject(new Error('the receiver did not start')), 10_000).unref();
  });
  return { child, port, lines, dir };
}

for (const engine of ENGINES) {
  describe(`the receivers' guide's Node receiver (${engine})`, () => {
    let h: DeliveryHarness;
    let receiver: Receiver;
    const secret = 'whsec_' + Buffer.alloc(32, 11).toString('base64');

    beforeAll(async () => {
      h = await createDeliveryHarness(engine);
      receiver = await startSnippet(secret);
    });
    afterAll(async () => {
      receiver?.child.kill();
      if (receiver) rmSync(receiver.dir, { recursive: true, force: true });
      await h?.close();
    });

    it('verifies a real delivery, answers 2xx, and handles a replay of the same run once', async () => {
      const automation = await h.createAutomation({ url: `http://127.0.0.1:${receiver.port}/hooks`, secret });
      const { runs } = await h.submit();
      const runId = runs[0]!.id;
      await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'succeeded',
      );
      const handled = () =>
        receiver.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      await expect.poll(() => handled().length).toBe(1);
      expect(handled()[0]).toMatchObject({ handled: runId, type: 'survey.response.completed' });
      expect(handled()[0]!.variables).toMatchObject({ FirstName: 'Kari' });

      // A replay is the same webhook-id: acknowledged, not handled again.
      const replay = await h.app.inject({
        method: 'POST',
        url: `/api/v1/automations/${automation.id}/runs/replay`,
        headers: h.owner.bearer,
        payload: { runIds: [runId] },
      });
      expect(replay.statusCode).toBe(202);
      await h.waitFor(
        () => h.run(runId),
        (r) => r.status === 'succeeded' && Number(r.attempts) === 2,
      );
      expect(handled()).toHaveLength(1);
    });

    it('refuses what another secret signed', async () => {
      const other = await h.createAutomation({
        url: `http://127.0.0.1:${receiver.port}/hooks`,
        secret: 'whsec_' + Buffer.alloc(32, 12).toString('base64'),
      });
      const { runs } = await h.submit();
      const run = runs.find((r) => r.automationId === other.id)!;
      const attempt = await h.waitFor(
        () => h.ctx.db.selectFrom('run_attempts').selectAll().where('run_id', '=', run.id).executeTakeFirst(),
        (a) => a !== undefined,
      );
      expect(attempt!.status_code).toBe(401);
      await h.app.inject({
        method: 'DELETE',
        url: `/api/v1/automations/${other.id}`,
        headers: h.owner.bearer,
      });
    });
  });
}
