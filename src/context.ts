/**
 * Builds DS clients from the parsed environment, one request budget per token. Commands get
 * theirs, with the database and the logger, from their context (src/cli/command-context.ts);
 * everything else receives them as arguments.
 */
import { createHash } from 'node:crypto';
import { requireToken, type Env } from './config/env.ts';
import { RequestBudget } from './graphql/budget.ts';
import { DsClient, type DsClientOptions } from './graphql/client.ts';
import type { Logger } from './logger.ts';

// DS counts requests per token (NOTES.md §4): every client of one token in this process
// shares one bucket. Keyed by a digest so the map never holds the token itself.
const budgets = new Map<string, RequestBudget>();

export function sharedBudget(env: Env, token: string): RequestBudget {
  const key = createHash('sha256').update(`${env.DS_API_URL}\n${token}`).digest('hex');
  let budget = budgets.get(key);
  if (budget === undefined) {
    budget = new RequestBudget({ perMinute: env.DS_ARS_RATE_LIMIT });
    budgets.set(key, budget);
  }
  return budget;
}

export interface DsClientContext {
  logger: Logger;
  /** Test seams (clock, fetch); production leaves them unset. */
  overrides?: Pick<DsClientOptions, 'fetch' | 'sleep' | 'now' | 'maxRetries'>;
}

/** A DS client for the configured API and token; throws `config` when the token is missing. */
export function createDsClient(env: Env, context: DsClientContext): DsClient {
  const token = requireToken(env);
  return new DsClient({
    url: env.DS_API_URL,
    token,
    budget: sharedBudget(env, token),
    logger: context.logger.child({ component: 'ds-client' }),
    ...context.overrides,
  });
}

/**
 * A DS client created on first use. Plans (no --apply) read only the mirror and never call DS,
 * so they run without a token; with --apply, read `client` at once so a missing token is
 * reported before anything is planned.
 */
export function lazyDsClient(env: Env, context: DsClientContext): { readonly client: DsClient } {
  let client: DsClient | undefined;
  return {
    get client() {
      return (client ??= createDsClient(env, context));
    },
  };
}
