import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('SVARBUD_WARN_AFTER_FAILURES', () => {
  it('defaults to the disable threshold minus 2, and to no warning when that is below 1', () => {
    expect(loadConfig({}).warnAfterFailures).toBe(3);
    expect(loadConfig({ SVARBUD_DISABLE_AFTER_FAILURES: '10' }).warnAfterFailures).toBe(8);
    expect(loadConfig({ SVARBUD_DISABLE_AFTER_FAILURES: '3' }).warnAfterFailures).toBe(1);
    expect(loadConfig({ SVARBUD_DISABLE_AFTER_FAILURES: '2' }).warnAfterFailures).toBeNull();
  });

  it('takes a number below the threshold, 0 for none, and stops start-up on anything else', () => {
    expect(loadConfig({ SVARBUD_WARN_AFTER_FAILURES: '4' }).warnAfterFailures).toBe(4);
    expect(loadConfig({ SVARBUD_WARN_AFTER_FAILURES: '0' }).warnAfterFailures).toBeNull();
    expect(() => loadConfig({ SVARBUD_WARN_AFTER_FAILURES: '5' })).toThrow(
      /SVARBUD_WARN_AFTER_FAILURES must be below SVARBUD_DISABLE_AFTER_FAILURES \(5\)/,
    );
    for (const bad of ['-1', 'soon', '2.5'])
      expect(() => loadConfig({ SVARBUD_WARN_AFTER_FAILURES: bad })).toThrow(/SVARBUD_WARN_AFTER_FAILURES/);
  });
});
