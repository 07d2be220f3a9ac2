/** DS-style opaque GraphQL ids: base64("<Model>-<id>"), and keyset cursors base64("<timestamp>;<id>"). */

export function encodeId(model: string, id: number | string): string {
  return Buffer.from(`${model}-${id}`).toString('base64');
}

/** Returns the numeric part of an id of the given model, or null when it does not match. */
export function decodeId(model: string, id: string): number | null {
  const text = Buffer.from(id, 'base64').toString('utf8');
  const match = new RegExp(`^${model}-(\\d+)$`).exec(text);
  return match ? Number(match[1]) : null;
}

const champIds = new Map<number, string>();

/** Champ ids equal their descriptor id, base64("Champ-<stable_id>"), or "…|<row_id>" in repetitions. */
export function champId(stableId: number, rowId?: number): string {
  if (rowId !== undefined) return Buffer.from(`Champ-${stableId}|${rowId}`).toString('base64');
  let id = champIds.get(stableId);
  if (id === undefined) {
    id = Buffer.from(`Champ-${stableId}`).toString('base64');
    champIds.set(stableId, id);
  }
  return id;
}

export function encodeCursor(timestamp: number, id: number): string {
  return Buffer.from(`${new Date(timestamp).toISOString()};${id}`).toString('base64');
}

export function decodeCursor(cursor: string): { timestamp: number; id: number } | null {
  const [ts, id] = Buffer.from(cursor, 'base64').toString('utf8').split(';');
  const timestamp = Date.parse(ts ?? '');
  const numeric = Number(id);
  return Number.isFinite(timestamp) && Number.isInteger(numeric) ? { timestamp, id: numeric } : null;
}
