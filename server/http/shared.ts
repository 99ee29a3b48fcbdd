/**
 * One computation per key, shared by every request within `ms` of the one that started it: a
 * burst of readers (polling dashboards, an audience sent to the replay) costs one. A failed
 * computation is forgotten at once, so the next request tries again; old entries go as
 * requests come.
 */
export function sharedFor<T>(ms: number): (key: string, compute: () => Promise<T>) => Promise<T> {
  const recent = new Map<string, { at: number; value: Promise<T> }>();
  return (key, compute) => {
    const now = Date.now();
    for (const [k, c] of recent) if (now - c.at >= ms) recent.delete(k);
    let cached = recent.get(key);
    if (!cached) {
      const entry = { at: now, value: compute() };
      recent.set(key, entry);
      entry.value.catch(() => {
        if (recent.get(key) === entry) recent.delete(key);
      });
      cached = entry;
    }
    return cached.value;
  };
}
