import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('gives distinct ids in creation order, across many refills of the random pool', () => {
    const ids: string[] = [];
    // 1 000 milliseconds, several ids in each: 1 000 fresh random parts (the pool holds 256).
    for (let ms = 1_000_000; ms < 1_001_000; ms++) for (let i = 0; i < 3; i++) ids.push(newId('run', ms));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^run_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it('draws different random parts for different milliseconds', () => {
    const randomPart = (id: string) => id.slice(-16);
    const parts = new Set(Array.from({ length: 600 }, (_, i) => randomPart(newId('x', 2_000_000 + i))));
    expect(parts.size).toBe(600);
  });
});
