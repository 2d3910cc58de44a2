// The runs chart's axes: whole-number ticks from 0 to a round top at or above the busiest day, and
// day labels that name the month where the axis starts and where the month changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAxis, dayLabels } from './chart-axes';

describe('count axis', () => {
  it('ticks every whole count when there are few runs', () => {
    expect(countAxis(0, [100, 0]).ticks).toEqual([0, 1]);
    expect(countAxis(3, [100, 0]).ticks).toEqual([0, 1, 2, 3]);
  });

  it('rounds the top up to a nice number with even steps', () => {
    expect(countAxis(7, [100, 0]).ticks).toEqual([0, 2, 4, 6, 8]);
    expect(countAxis(13, [100, 0]).ticks).toEqual([0, 5, 10, 15]);
    expect(countAxis(1234, [100, 0]).ticks).toEqual([0, 500, 1000, 1500]);
  });

  it('always starts at 0, reaches the busiest day, and has only whole numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (max) => {
        const { y, ticks, top } = countAxis(max, [100, 0]);
        expect(ticks[0]).toBe(0);
        expect(ticks.every(Number.isInteger)).toBe(true);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(6);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(ticks.at(-1)).toBe(top);
        // 0 at the bottom, the busiest bar inside the plot.
        expect(y(0)).toBe(100);
        expect(y(max)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('day labels', () => {
  const days = ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'];

  it('names the month where the axis starts and where it changes, in the locale', () => {
    expect(dayLabels(days, 'en-GB')).toEqual([
      { date: '2026-11-29', day: '29', month: 'Nov' },
      { date: '2026-11-30', day: '30', month: null },
      { date: '2026-12-01', day: '1', month: 'Dec' },
      { date: '2026-12-02', day: '2', month: null },
    ]);
    const nb = dayLabels(days, 'nb-NO');
    expect(nb.map((l) => l.day)).toEqual(['29.', '30.', '1.', '2.']);
    expect(nb[0]!.month).toMatch(/^nov/);
    expect(nb[2]!.month).toMatch(/^des/);
    expect(nb[1]!.month).toBeNull();
  });
});
