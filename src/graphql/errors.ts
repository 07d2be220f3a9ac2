/**
 * DS failures turned into AppErrors with French messages that say what to do, and how safe a
 * retry is. DS keeps two channels apart (NOTES.md §3): top-level `errors[].extensions.code`
 * (access, lookup, timeout: thrown here) and payload `errors[].message` of mutations (business
 * refusals: returned to the caller as data, see `payloadErrors`).
 */
import { AppError, DsApiError } from '../errors.ts';

const TOKENS_PAGE = '« Voir mon profil » > « Jetons d’API » dans démarches-simplifiées';

/** Payload error DS gives every mutation sent with a read-only token. */
export const READ_ONLY_MESSAGE = 'Le jeton utilisé est configuré seulement en lecture';

/**
 * How safe a retry is. `safe`: DS did not process the request (429, connection refused).
 * `ambiguous`: it may have (reset after sending, 5xx, timeout): fine for queries and idempotent
 * mutations only. `never`: retrying cannot help.
 */
export type RetryKind = 'safe' | 'ambiguous' | 'never';

export interface Failure {
  error: AppError;
  retry: RetryKind;
  /** Delay the server asked for (429 Retry-After / RateLimit-Reset), in ms. */
  retryAfterMs?: number;
}

export interface TopLevelError {
  message: string;
  extensions?: { code?: string | undefined; exception_id?: string | undefined } | undefined;
}

export interface PayloadErrors {
  messages: string[];
  /** The token cannot write: every mutation will fail the same way. */
  readOnly: boolean;
}

/** The payload errors of a mutation (`data.<mutation>.errors`), as plain messages. */
export function payloadErrors(payload: { errors?: readonly { message: string }[] | null } | null | undefined): PayloadErrors {
  const messages = (payload?.errors ?? []).map((error) => error.message);
  return { messages, readOnly: messages.some((message) => message.includes(READ_ONLY_MESSAGE)) };
}

export function readOnlyError(where: string): AppError {
  return new DsApiError(
    'read_only',
    `Le jeton DS est en lecture seule : DS refuse la modification (${where}). Créez un jeton avec l’accès « lecture et écriture » (${TOKENS_PAGE}) et mettez-le dans DS_API_TOKEN.`,
  );
}

export function tokenExpiredError(where: string): AppError {
  return new DsApiError(
    'token_expired',
    `Le jeton DS a expiré (HTTP 401, ${where}). Renouvelez-le (${TOKENS_PAGE}) puis mettez à jour DS_API_TOKEN.`,
  );
}

/** Failure from an HTTP status other than 2xx. `body` is the raw text, `errors` the parsed ones if any. */
export function httpFailure(
  status: number,
  body: string,
  errors: readonly TopLevelError[],
  where: string,
  retryAfterMs: number | undefined,
): Failure {
  const text = `${body} ${errors.map((e) => e.message).join(' ')}`;
  if (status === 401) {
    if (/token expired/i.test(text)) return { error: tokenExpiredError(where), retry: 'never' };
    return {
      error: new DsApiError(
        'auth',
        `Jeton DS invalide ou révoqué (HTTP 401, ${where}). Vérifiez DS_API_TOKEN (copié en entier) ou créez un nouveau jeton (${TOKENS_PAGE}).`,
      ),
      retry: 'never',
    };
  }
  if (status === 403) {
    if (/forbidden network/i.test(text)) {
      return {
        error: new DsApiError(
          'forbidden_network',
          `DS refuse la requête : l’adresse IP de ce serveur n’est pas autorisée pour ce jeton (HTTP 403, ${where}). Ajoutez l’IP publique du serveur aux réseaux autorisés du jeton (${TOKENS_PAGE}).`,
        ),
        retry: 'never',
      };
    }
    return {
      error: new DsApiError(
        'auth',
        `Accès refusé par DS (HTTP 403, ${where}). Vérifiez que DS_API_TOKEN est défini et valide (${TOKENS_PAGE}).`,
      ),
      retry: 'never',
    };
  }
  if (status === 429) {
    return {
      error: new DsApiError(
        'rate_limited',
        `DS limite le nombre de requêtes (HTTP 429, ${where}) et les nouveaux essais ont échoué. Réduisez DS_ARS_RATE_LIMIT ou évitez de lancer plusieurs commandes en même temps avec le même jeton.`,
      ),
      retry: 'safe',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status >= 500) {
    const exceptionId = errors.find((e) => e.extensions?.exception_id)?.extensions?.exception_id;
    return {
      error: new DsApiError(
        'server',
        `DS a répondu par une erreur serveur (HTTP ${status}${exceptionId ? `, exception_id ${exceptionId}` : ''}, ${where}). Réessayez plus tard ; si l’erreur persiste, signalez-la au support DS${exceptionId ? ' avec cet identifiant' : ''}.`,
      ),
      retry: 'ambiguous',
    };
  }
  if (errors.length > 0) return topLevelFailure(errors, where);
  if (status === 404) {
    return {
      error: new DsApiError(
        'not_found',
        `Adresse de l’API DS introuvable (HTTP 404, ${where}). Vérifiez DS_API_URL (elle se termine par /api/v2/graphql).`,
      ),
      retry: 'never',
    };
  }
  return {
    error: new DsApiError(
      'bad_request',
      `DS a refusé la requête (HTTP ${status}, ${where}). Vérifiez DS_API_URL ; si l’erreur persiste, signalez-la.`,
    ),
    retry: 'never',
  };
}

/** Failure from top-level GraphQL errors; any root error is fatal for the operation. */
export function topLevelFailure(errors: readonly TopLevelError[], where: string): Failure {
  const codes = errors.map((e) => e.extensions?.code);
  const messages = errors.map((e) => e.message).join(' ; ');
  if (codes.includes('timeout')) {
    return {
      error: new DsApiError(
        'timeout',
        `DS a interrompu la requête, trop longue (timeout, ${where}). Réessayez plus tard ou avec des pages plus petites.`,
      ),
      retry: 'ambiguous',
    };
  }
  if (codes.includes('unauthorized') || /hidden due to permissions/i.test(messages)) {
    return {
      error: new DsApiError(
        'unauthorized',
        `La démarche ou le dossier demandé est hors du périmètre du jeton (${where}) : DS le masque. Autorisez ce jeton sur la démarche (${TOKENS_PAGE}) ou utilisez le jeton d’un administrateur de la démarche.`,
      ),
      retry: 'never',
    };
  }
  if (codes.includes('deprecated_token')) {
    return {
      error: new DsApiError('auth', `Jeton DS d’un ancien format, refusé par l’API (${where}). Créez un nouveau jeton (${TOKENS_PAGE}).`),
      retry: 'never',
    };
  }
  if (codes.includes('not_found')) {
    return {
      error: new DsApiError(
        'not_found',
        `Introuvable dans DS (${where} ; réponse de DS : « ${messages} »). Vérifiez le numéro de la démarche (celui de son adresse, …/procedures/<numéro>) ou du dossier, et que ce jeton y a accès.`,
      ),
      retry: 'never',
    };
  }
  if (codes.includes('graphql_parse_failed')) {
    return {
      error: new DsApiError(
        'graphql_parse_failed',
        `DS n’a pas pu lire la requête GraphQL (${where}) : ${messages}. L’API a peut-être changé : mettez ds-ars à jour ou signalez-le.`,
      ),
      retry: 'never',
    };
  }
  if (codes.includes('bad_request')) {
    return {
      error: new DsApiError('bad_request', `DS a refusé les paramètres de la requête (${where}) : ${messages}.`),
      retry: 'never',
    };
  }
  if (codes.includes('internal_server_error')) {
    const exceptionId = errors.find((e) => e.extensions?.exception_id)?.extensions?.exception_id;
    return {
      error: new DsApiError(
        'server',
        `Erreur interne de DS (${where}${exceptionId ? `, exception_id ${exceptionId}` : ''}). Réessayez plus tard ; si elle persiste, signalez-la au support DS.`,
      ),
      retry: 'ambiguous',
    };
  }
  return {
    error: new DsApiError('graphql', `DS a renvoyé une erreur (${where}) : ${messages}. Aucune donnée de cette réponse n’a été utilisée.`, {
      details: { codes: codes.filter((c) => c !== undefined) },
    }),
    retry: 'never',
  };
}

// Connection errors where the request never reached DS: a retry cannot apply a mutation twice.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const CUT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const CUT_MESSAGES = /fetch failed|socket hang up|other side closed|terminated|network/i;
// fetch refuses some ports outright (1, 6000, 10080…): the request never leaves.
const BLOCKED_PORT = /^bad port$/i;

/** Failure from a thrown network error, or undefined when it is not one. */
export function networkFailure(thrown: unknown, where: string, host: string): Failure | undefined {
  const codes: string[] = [];
  const messages: string[] = [];
  for (let current: unknown = thrown, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    messages.push(current.message);
    current = current.cause;
  }
  const blockedPort = messages.some((message) => BLOCKED_PORT.test(message));
  const notSent = blockedPort || codes.some((code) => NOT_SENT_CODES.has(code));
  const cut = codes.some((code) => CUT_CODES.has(code)) || messages.some((message) => CUT_MESSAGES.test(message));
  if (!notSent && !cut) return undefined;
  // A system code (ECONNRESET…) can be looked up; undici's English words (« fetch failed ») cannot.
  const reason = codes[0] ?? (blockedPort ? 'port refusé par Node' : 'connexion interrompue');
  return {
    error: new DsApiError(
      'network',
      notSent
        ? `Impossible de joindre DS (${host}, ${reason}, ${where}). Vérifiez la connexion réseau du serveur, DS_API_URL et, derrière un proxy, HTTPS_PROXY, puis relancez.`
        : `La connexion à DS (${host}) a été coupée (${reason}, ${where}). Relancez la commande ; si cela se répète, vérifiez le réseau.`,
      { details: { networkCode: reason } },
    ),
    retry: notSent ? 'safe' : 'ambiguous',
  };
}

/** A mutation that may have been applied: tell the user to check before replaying it. */
export function ambiguousMutationError(failure: Failure, where: string): AppError {
  return new AppError(
    failure.error.code,
    `Résultat incertain (${where}) : ${failure.error.message} La modification a pu être appliquée par DS : relisez le dossier avant de la relancer.`,
    { details: { ...failure.error.details, ambiguous: true } },
  );
}

/** Retry-After (seconds or HTTP date) or RateLimit-Reset (seconds, or epoch seconds), in ms. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) {
    const value = Number(reset);
    // Large values are a Unix time (rack-attack), small ones a delay in seconds (IETF draft).
    return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : value * 1000;
  }
  return undefined;
}
