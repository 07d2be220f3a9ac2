/**
 * The error model (docs/ARCHITECTURE.md, « Errors »): each code belongs to one family and the
 * family gives the exit code of the README's contract — 0 succès, 1 échec ou échec partiel,
 * 2 erreur d’utilisation ou de configuration (and a database file to fix: `storage`).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeFor, PartialFailure } from '../src/cli/exit.ts';
import {
  AppError,
  ConfigError,
  ConflictError,
  DsApiError,
  ERROR_FAMILIES,
  type ErrorCode,
  StorageError,
  UsageError,
  WorkbookError,
} from '../src/errors.ts';

describe('error families', () => {
  it('put every code in exactly one family', () => {
    const codes = Object.values(ERROR_FAMILIES).flatMap((f) => [...f.codes] as ErrorCode[]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['usage', 2],
    ['config', 2],
    ['storage', 2],
    ['auth', 1],
    ['token_expired', 1],
    ['network', 1],
    ['database', 1],
    ['workbook', 1],
    ['conflict', 1],
    ['lease', 1],
    ['internal', 1],
  ] as const)('%s ends the CLI with exit code %i', (code, exit) => {
    expect(exitCodeFor(new AppError(code, 'x'))).toBe(exit);
  });

  it('a batch with errors ends with 1, an unexpected error too', () => {
    expect(exitCodeFor(new PartialFailure('2 démarches en échec'))).toBe(1);
    expect(exitCodeFor(new TypeError('x'))).toBe(1);
  });

  it('recognise an AppError by its code, whatever class built it', () => {
    expect(new AppError('config', 'x')).toBeInstanceOf(ConfigError);
    expect(new AppError('token_expired', 'x')).toBeInstanceOf(DsApiError);
    expect(new AppError('lease', 'x')).toBeInstanceOf(ConflictError);
    expect(new AppError('config', 'x')).not.toBeInstanceOf(UsageError);
    expect(new AppError('workbook', 'x')).not.toBeInstanceOf(DsApiError);
  });

  it('keep code and message for those who read them', () => {
    const error = new StorageError('disque plein', { details: { code: 'SQLITE_FULL' } });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'storage',
      message: 'disque plein',
      family: 'storage',
      exitCode: 2,
      details: { code: 'SQLITE_FULL' },
    });
    expect(new WorkbookError('workbook', 'x')).toMatchObject({ code: 'workbook', name: 'WorkbookError' });
    expect(new PartialFailure('x')).toMatchObject({ code: 'partial', name: 'PartialFailure' });
  });
});
