// A small fetch cache: one entry per API path, shared by every screen that reads it. Screens get the
// cached data at once (stale-while-revalidate) and re-render when a write invalidates it.
import { useEffect, useReducer } from 'react';
import { api } from './api';

interface Entry {
  data: unknown;
  error: unknown;
  loading: boolean;
  listeners: Set<() => void>;
}

const cache = new Map<string, Entry>();

function entryOf(path: string): Entry {
  let entry = cache.get(path);
  if (!entry) {
    entry = { data: undefined, error: undefined, loading: false, listeners: new Set() };
    cache.set(path, entry);
  }
  return entry;
}

function notify(entry: Entry): void {
  for (const listener of entry.listeners) listener();
}

function load(path: string): void {
  const entry = entryOf(path);
  if (entry.loading) return;
  entry.loading = true;
  notify(entry);
  api<unknown>('GET', path).then(
    (data) => {
      Object.assign(entry, { data, error: undefined, loading: false });
      notify(entry);
    },
    (error: unknown) => {
      Object.assign(entry, { error, loading: false });
      notify(entry);
    },
  );
}

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Reads `path` (GET) through the cache; null reads nothing. */
export function useQuery<T>(path: string | null): Query<T> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (path === null) return;
    const entry = entryOf(path);
    entry.listeners.add(rerender);
    if (entry.data === undefined || entry.error !== undefined) load(path);
    return () => {
      entry.listeners.delete(rerender);
    };
  }, [path]);
  const entry = path === null ? undefined : cache.get(path);
  return {
    data: entry?.data as T | undefined,
    error: entry?.error,
    loading: entry ? entry.loading || (entry.data === undefined && entry.error === undefined) : path !== null,
    reload: () => {
      if (path !== null) load(path);
    },
  };
}

/** Puts a fresh answer (e.g. the Survey a write returned) into the cache. */
export function setQueryData(path: string, data: unknown): void {
  const entry = entryOf(path);
  Object.assign(entry, { data, error: undefined });
  notify(entry);
}

/** Marks every cached path starting with `prefix` stale: watched ones reload, others are dropped. */
export function invalidate(prefix: string): void {
  for (const [path, entry] of cache) {
    if (!path.startsWith(prefix)) continue;
    if (entry.listeners.size > 0) load(path);
    else cache.delete(path);
  }
}

/** Marks exactly `path` stale. */
export function invalidateExact(path: string): void {
  const entry = cache.get(path);
  if (!entry) return;
  if (entry.listeners.size > 0) load(path);
  else cache.delete(path);
}

/** Forgets everything (sign-in, sign-out: another organization's data must never show). */
export function clearCache(): void {
  for (const [path, entry] of cache) {
    if (entry.listeners.size === 0) {
      cache.delete(path);
      continue;
    }
    Object.assign(entry, { data: undefined, error: undefined });
    load(path);
  }
}
