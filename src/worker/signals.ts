import type { Logger } from '../logger.ts';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

export interface ShutdownHandle {
  /** Aborted on the first SIGTERM/SIGINT; pass it down to every step. */
  signal: AbortSignal;
  /** Removes the handlers (end of run, or tests). */
  dispose(): void;
}

/**
 * First SIGTERM/SIGINT: abort the signal so the current page or mutation finishes, progress is
 * recorded and leases are released. A second one means the operator will not wait: `onForce`
 * (exit code 130 by default), leaving leases to expire on their own.
 */
export function handleShutdownSignals(logger: Logger, onForce: () => void = () => process.exit(130)): ShutdownHandle {
  const controller = new AbortController();
  const handler = (received: ShutdownSignal) => {
    if (!controller.signal.aborted) {
      logger.warn(
        { signal: received },
        `Signal ${received} reçu : arrêt propre après la page ou la mutation en cours (renvoyez le signal pour forcer l’arrêt).`,
      );
      controller.abort(new Error(`arrêt demandé (signal ${received})`));
      return;
    }
    logger.error({ signal: received }, `Second signal ${received} : arrêt immédiat, les verrous expireront d’eux-mêmes.`);
    onForce();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}
