import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { calendarDate } from './file.schema.ts';

/** Where DS tokens are created; quoted in every "token missing / invalid" message. */
export const TOKEN_HELP =
  'Créez un jeton dans démarches-simplifiées : « Voir mon profil » > « Jetons d’API » (accès lecture/écriture pour les mutations), puis exportez-le dans DS_API_TOKEN.';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const LOG_FORMATS = ['json', 'texte'] as const;

// Empty strings count as "not set": `DS_ARS_CONFIG= ds-ars …` must not become a path "".
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional());
const textWithDefault = (fallback: string) => z.preprocess((v) => (v === '' || v === undefined ? fallback : v), z.string().trim().min(1));

/**
 * Every environment variable the product reads, in one place (test/env-declared.test.ts keeps it
 * so). Not here: the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case
 * forms), read by src/http/proxy.ts the way undici and curl read them, before the CLI starts; the
 * SMTP password, in the variable the configuration names (mail.smtp.passwordEnv, read through
 * `CommandContext.variable`).
 */
const envSchema = z.object({
  DS_API_URL: z.preprocess(
    (v) => (v === '' || v === undefined ? 'https://demat.social.gouv.fr/api/v2/graphql' : v),
    z.url({ protocol: /^https?$/, error: 'doit être une URL http(s) complète, par exemple https://demat.social.gouv.fr/api/v2/graphql' }),
  ),
  DS_API_TOKEN: optionalText,
  DS_ARS_DB: textWithDefault('./var/ds-ars.sqlite'),
  DS_ARS_CONFIG: optionalText,
  DS_ARS_FILES_DIR: textWithDefault('./var/fichiers'),
  DS_ARS_RATE_LIMIT: z.preprocess(
    (v) => (v === '' || v === undefined ? 400 : v),
    z.coerce
      .number({ error: 'doit être un nombre de requêtes par minute, par exemple 400' })
      .int({ error: 'doit être un nombre entier de requêtes par minute, par exemple 400' })
      .min(1, { error: 'doit être au moins 1 requête par minute' })
      .max(10_000, { error: 'doit être au plus 10000 requêtes par minute (DS limite à 400 par jeton)' }),
  ),
  DS_ARS_LOG_LEVEL: z.preprocess(
    (v) => (v === '' || v === undefined ? 'info' : typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(LOG_LEVELS, { error: `doit valoir l’un de : ${LOG_LEVELS.join(', ')}` }),
  ),
  /** json or texte; unset: texte at a terminal, json otherwise (src/log-format.ts). */
  DS_ARS_LOG_FORMAT: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z
      .enum(LOG_FORMATS, {
        error: (issue) =>
          `doit valoir « json » ou « texte » (DS_ARS_LOG_FORMAT=${String(issue.input)} : valeur inconnue ; ou retirez la variable)`,
      })
      .optional(),
  ),
  /** 1: errors are printed with their stack and causes. Read by cli/main.ts from the raw variables too, since it reports a bad environment. */
  DS_ARS_DEBUG: z.preprocess((v) => v === '1', z.boolean()),
  /** The token's expiry as DS shows it at creation (YYYY-MM-DD): the digest warns 14 days before. */
  DS_API_TOKEN_EXPIRES_ON: z.preprocess((v) => (v === '' ? undefined : v), calendarDate.optional()),
});

export type Env = z.output<typeof envSchema>;

/** The names of the variables above (test/env-declared.test.ts checks that src/ reads no other). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Parses the environment once. Every problem is listed in a single French error (code `config`),
 * so the user fixes them all in one go. The token value never appears in messages.
 */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(env, { error: z.locales.fr().localeError });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${String(issue.path[0] ?? '?')} ${issue.message}`);
  throw new ConfigError(
    `Configuration invalide (variables d’environnement) : ${problems.join(' ; ')}. Corrigez ces variables puis relancez la commande.`,
    { details: { variables: result.error.issues.map((issue) => String(issue.path[0] ?? '?')) } },
  );
}

/** For commands that talk to DS: returns the token or explains how to get one. */
export function requireToken(env: Env): string {
  if (env.DS_API_TOKEN === undefined) {
    throw new ConfigError(`Jeton d’API manquant : la variable DS_API_TOKEN n’est pas définie. ${TOKEN_HELP}`);
  }
  return env.DS_API_TOKEN;
}
