import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so two equal payloads always hash the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(stableJson(payload)).digest('hex').slice(0, 16);
}

/**
 * Idempotency key of one mutation: operation + dossier + payload hash. It is unique in the journal
 * and sent as `clientMutationId`, so the same write is never sent twice, whatever the run.
 * The acting instructeur is left out on purpose: changing who acts does not make it a new write.
 */
export function idempotencyKey(operation: string, dossierNumber: number, payload: unknown): string {
  return `${operation}:${dossierNumber}:${payloadHash(payload)}`;
}
