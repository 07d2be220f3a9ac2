import { describe, expect, it } from 'vitest';
import { childLogger, createLogger, createMemoryDestination, formatLogLine } from '../src/logger.ts';

describe('logger', () => {
  it('writes JSON lines stamped with the child context', () => {
    const destination = createMemoryDestination();
    const logger = childLogger(createLogger({ level: 'info', destination }), { demarche: 12345, run: 'run-1' });
    logger.info({ dossiers: 3 }, 'page lue');
    logger.debug('trop bavard pour le niveau info');
    expect(destination.records()).toEqual([
      expect.objectContaining({ level: 30, demarche: 12345, run: 'run-1', dossiers: 3, msg: 'page lue', name: 'ds-ars' }),
    ]);
  });

  it('masks authorization headers and token fields', () => {
    const destination = createMemoryDestination();
    const logger = createLogger({ destination });
    logger.warn(
      {
        token: 'secret-1',
        headers: { authorization: 'Bearer secret-2' },
        request: { headers: { Authorization: 'Bearer secret-3' }, token: 'secret-4' },
        env: { DS_API_TOKEN: 'secret-5' },
      },
      'requête',
    );
    const text = destination.text();
    for (const secret of ['secret-1', 'secret-2', 'secret-3', 'secret-4', 'secret-5']) expect(text).not.toContain(secret);
    expect(destination.records()[0]).toMatchObject({ token: '[masqué]', headers: { authorization: '[masqué]' } });
  });

  it('keeps the reason of an error on the short French line, whether err is an Error or a message', () => {
    const base = { level: 50, time: '2026-12-07T14:13:16.000Z', msg: 'échec de la synchronisation de la démarche', demarche: 104512 };
    expect(formatLogLine({ ...base, err: 'Jeton DS invalide ou révoqué (HTTP 401).' })).toBe(
      '15:13:16 erreur    échec de la synchronisation de la démarche (démarche 104512) : Jeton DS invalide ou révoqué (HTTP 401).\n',
    );
    expect(formatLogLine({ ...base, err: { type: 'AbortError', message: 'This operation was aborted' } })).toContain(
      ' : opération interrompue (arrêt demandé ou délai dépassé)',
    );
  });
});
