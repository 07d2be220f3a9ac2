import { describe, expect, it } from 'vitest';
import { loadEnv, requireToken } from '../src/config/env.ts';
import { AppError } from '../src/errors.ts';

function configError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('loadEnv', () => {
  it('applies the defaults when nothing is set', () => {
    expect(loadEnv({})).toEqual({
      DS_API_URL: 'https://demat.social.gouv.fr/api/v2/graphql',
      DS_API_TOKEN: undefined,
      DS_ARS_DB: './var/ds-ars.sqlite',
      DS_ARS_CONFIG: undefined,
      DS_ARS_FILES_DIR: './var/fichiers',
      DS_ARS_RATE_LIMIT: 400,
      DS_ARS_LOG_LEVEL: 'info',
      DS_ARS_DEBUG: false,
    });
  });

  it('reads every variable and treats empty strings as unset', () => {
    const env = loadEnv({
      DS_API_URL: 'http://127.0.0.1:4000/api/v2/graphql',
      DS_API_TOKEN: '  abc  ',
      DS_ARS_DB: '/srv/ds.sqlite',
      DS_ARS_CONFIG: '',
      DS_ARS_FILES_DIR: '/srv/fichiers',
      DS_ARS_RATE_LIMIT: '120',
      DS_ARS_LOG_LEVEL: 'DEBUG',
    });
    expect(env).toMatchObject({ DS_API_TOKEN: 'abc', DS_ARS_CONFIG: undefined, DS_ARS_RATE_LIMIT: 120, DS_ARS_LOG_LEVEL: 'debug' });
  });

  it('lists every problem at once, in French, with the variable names, as a config error', () => {
    const error = configError(() =>
      loadEnv({ DS_API_URL: 'pas une url', DS_ARS_RATE_LIMIT: 'beaucoup', DS_ARS_LOG_LEVEL: 'bavard', DS_API_TOKEN: 'secret-token-value' }),
    );
    expect(error.code).toBe('config');
    expect(error.message).toContain('DS_API_URL doit être une URL http(s)');
    expect(error.message).toContain('DS_ARS_RATE_LIMIT doit être un nombre');
    expect(error.message).toContain('DS_ARS_LOG_LEVEL doit valoir l’un de');
    expect(error.details).toEqual({ variables: ['DS_API_URL', 'DS_ARS_RATE_LIMIT', 'DS_ARS_LOG_LEVEL'] });
    expect(error.message).not.toContain('secret-token-value');
  });

  it('rejects a rate limit that is not a positive integer', () => {
    expect(configError(() => loadEnv({ DS_ARS_RATE_LIMIT: '0' })).message).toContain('au moins 1');
    expect(configError(() => loadEnv({ DS_ARS_RATE_LIMIT: '2.5' })).message).toContain('entier');
  });

  // Issue #18: the token expiry and the log format were read outside env.ts, after the command had started.
  it('declares the token expiry, the log format and the debug switch', () => {
    expect(loadEnv({ DS_API_TOKEN_EXPIRES_ON: '2027-11-26', DS_ARS_LOG_FORMAT: 'Texte', DS_ARS_DEBUG: '1' })).toMatchObject({
      DS_API_TOKEN_EXPIRES_ON: '2027-11-26',
      DS_ARS_LOG_FORMAT: 'texte',
      DS_ARS_DEBUG: true,
    });
    const error = configError(() => loadEnv({ DS_API_TOKEN_EXPIRES_ON: '2027-02-30', DS_ARS_LOG_FORMAT: 'joli' }));
    expect(error.details).toEqual({ variables: ['DS_ARS_LOG_FORMAT', 'DS_API_TOKEN_EXPIRES_ON'] });
    expect(error.message).toContain('DS_API_TOKEN_EXPIRES_ON date attendue au format AAAA-MM-JJ');
    expect(error.message).toContain('DS_ARS_LOG_FORMAT=joli');
  });
});

describe('requireToken', () => {
  it('returns the token when set', () => {
    expect(requireToken(loadEnv({ DS_API_TOKEN: 'abc' }))).toBe('abc');
  });

  it('explains where to create one when missing', () => {
    const error = configError(() => requireToken(loadEnv({})));
    expect(error.code).toBe('config');
    expect(error.message).toMatch(/DS_API_TOKEN.*Voir mon profil/s);
  });
});
