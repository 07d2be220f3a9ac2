/** `POST /__simulator/<action>`: drives a simulator running in another process (demo, bench). */
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { deletedReason } from '../graphql/answers.ts';
import type { Faults } from './faults.ts';
import type { SimulatorState } from './store.ts';

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const schemas = {
  faults: z
    .object({
      latencyMs: z.number().min(0),
      serverErrorRate: z.number().min(0).max(1),
      resetRate: z.number().min(0).max(1),
      timeoutRate: z.number().min(0).max(1),
      concurrentEditRate: z.number().min(0).max(1),
      malformedNextAnswers: z.number().int().min(0),
      failingNextUploads: z.number().int().min(0),
      hangingNextUploads: z.number().int().min(0),
    })
    .partial(),
  edit: z.object({ number: z.number().int(), champ: z.string().optional(), value: fieldValue.optional() }),
  annotation: z.object({ number: z.number().int(), annotationId: z.string(), value: fieldValue }),
  delete: z.object({ number: z.number().int(), reason: deletedReason.optional() }),
  'pending-delete': z.object({ number: z.number().int(), reason: deletedReason.optional() }),
  label: z.object({ number: z.number().int(), name: z.string(), remove: z.boolean().optional() }),
  verdict: z.object({ number: z.number().int() }),
  clock: z.object({ ms: z.number() }),
  stats: z.object({}).loose(),
};

type Result = { ok: true; body: unknown } | { ok: false; status: number; error: string };

/** What the admin knobs reach of the server (server.ts's ServerDeps has all of it). */
export interface AdminDeps {
  state: SimulatorState;
  /** The server's request counters, returned as they are. */
  stats: unknown;
  setFaults: (f: Partial<Faults>) => Faults;
}

export function runAdminAction(deps: AdminDeps, action: string, body: unknown): Result {
  if (!(action in schemas)) return { ok: false, status: 404, error: `Action inconnue : ${action}` };
  const parsed = schemas[action as keyof typeof schemas].safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      status: 400,
      error: `Paramètres invalides : ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(' ; ')}`,
    };
  const store = deps.state;
  try {
    const input = parsed.data as Record<string, never>;
    switch (action) {
      case 'faults':
        return { ok: true, body: deps.setFaults(input) };
      case 'edit': {
        const { number, champ, value } = parsed.data as z.infer<typeof schemas.edit>;
        const snap = store.editDossier(number, { ...(champ !== undefined ? { champ } : {}), ...(value !== undefined ? { value } : {}) });
        return { ok: true, body: { number, dateDerniereModification: snap.dateDerniereModification.toISOString() } };
      }
      case 'annotation': {
        const { number, annotationId, value } = parsed.data as z.infer<typeof schemas.annotation>;
        const snap = store.editAnnotation(number, annotationId, value);
        return { ok: true, body: { number, dateDerniereModification: snap.dateDerniereModification.toISOString() } };
      }
      case 'delete': {
        const { number, reason: r } = parsed.data as z.infer<typeof schemas.delete>;
        store.deleteDossier(number, r);
        return { ok: true, body: { number } };
      }
      case 'pending-delete': {
        const { number, reason: r } = parsed.data as z.infer<(typeof schemas)['pending-delete']>;
        store.markPendingDeletion(number, r);
        return { ok: true, body: { number } };
      }
      case 'label': {
        const { number, name, remove } = parsed.data as z.infer<typeof schemas.label>;
        if (remove) store.removeLabel(number, name);
        else store.addLabel(number, name);
        return { ok: true, body: { number, labels: store.getDossier(number).labels } };
      }
      case 'verdict':
        return { ok: true, body: store.expectedVerdict((parsed.data as z.infer<typeof schemas.verdict>).number) };
      case 'clock': {
        store.advanceClock((parsed.data as z.infer<typeof schemas.clock>).ms);
        return { ok: true, body: { now: store.now().toISOString() } };
      }
      default:
        return { ok: true, body: deps.stats };
    }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, status: error.code === 'not_found' ? 404 : 400, error: error.message };
    throw error;
  }
}
