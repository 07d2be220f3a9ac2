/**
 * Ministry networks reach DS through an HTTP(S) proxy. When HTTPS_PROXY, HTTP_PROXY (either case)
 * is set, every fetch of the process — DS calls, file downloads, uploads — goes through undici's
 * EnvHttpProxyAgent, which also honours NO_PROXY. Loopback is not bypassed unless NO_PROXY names
 * it. http:// targets are forwarded as plain proxy requests (as curl does), https:// ones through a
 * CONNECT tunnel. undici loads only when a proxy is configured.
 */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

/** The proxy variables that are set (names only: a proxy URL may carry a password). */
export function proxyVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return PROXY_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
}

/** Routes the process's fetch calls through the proxy of the environment; false when none is set. */
export async function useProxyFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (proxyVariables(env).length === 0) return false;
  const { EnvHttpProxyAgent, setGlobalDispatcher } = await import('undici');
  const pick = (upper: string, lower: string) => env[lower] || env[upper] || undefined;
  const defined = <K extends string>(key: K, value: string | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>);
  setGlobalDispatcher(
    new EnvHttpProxyAgent({
      ...defined('httpProxy', pick('HTTP_PROXY', 'http_proxy')),
      ...defined('httpsProxy', pick('HTTPS_PROXY', 'https_proxy') ?? pick('HTTP_PROXY', 'http_proxy')),
      noProxy: pick('NO_PROXY', 'no_proxy') ?? '',
      proxyTunnel: false,
    }),
  );
  return true;
}
