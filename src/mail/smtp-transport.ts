import nodemailer from 'nodemailer';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  /** The password itself (read by the caller from the variable the configuration names). */
  password?: string | undefined;
}

/** The one SMTP transport of the adapter (digest and decision summaries), from the config's settings. */
export function smtpTransport(smtp: SmtpSettings) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
}

// nodemailer explains in English; its error codes say what went wrong.
const SMTP_REASONS: Readonly<Record<string, string>> = {
  EAUTH: 'identifiant ou mot de passe SMTP refusé (mail.smtp.user, variable nommée par mail.smtp.passwordEnv)',
  ECONNECTION: 'connexion au serveur SMTP impossible (hôte, port ou pare-feu)',
  ESOCKET: 'connexion au serveur SMTP impossible ou coupée (hôte, port, mail.smtp.secure)',
  ETIMEDOUT: 'le serveur SMTP n’a pas répondu à temps',
  EDNS: 'nom du serveur SMTP introuvable (mail.smtp.host)',
  ETLS: 'échec du chiffrement TLS (mail.smtp.secure : vrai pour le port 465, faux pour 587 ou 25)',
  EENVELOPE: 'adresse d’expéditeur ou de destinataire refusée',
  EMESSAGE: 'message refusé par le serveur SMTP',
  EPROTOCOL: 'réponse inattendue du serveur SMTP',
};

/** Why a mail could not be sent, in French: what went wrong, nodemailer's code, and the server's own answer quoted. */
export function smtpFailureReason(error: unknown): string {
  const { code, response } = (error ?? {}) as { code?: unknown; response?: unknown };
  const known = typeof code === 'string' ? SMTP_REASONS[code] : undefined;
  const what = `${known ?? 'échec de l’envoi'}${typeof code === 'string' ? ` (${code})` : ''}`;
  return typeof response === 'string' && response.trim() !== '' ? `${what} ; réponse du serveur : « ${response.trim()} »` : what;
}
