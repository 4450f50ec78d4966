// Email settings, from the environment. No SMTP_URL and no SMTP_HOST: no email at all (no
// email job is even written). SMTP_URL is a nodemailer connection URL
// ("smtp://user:pass@host:587", "smtps://…" for TLS from the start); else SMTP_HOST with
// SMTP_PORT (587), SMTP_SECURE ("1": TLS from the start), SMTP_USER / SMTP_PASS.

export type SmtpSettings = { url: string } | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };

export function smtpSettings(env: NodeJS.ProcessEnv = process.env): SmtpSettings | null {
  const url = env.SMTP_URL?.trim();
  if (url) return { url };
  const host = env.SMTP_HOST?.trim();
  if (!host) return null;
  const port = Number(env.SMTP_PORT?.trim() || 587);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`SMTP_PORT must be a port number (got ${JSON.stringify(env.SMTP_PORT)}).`);
  const user = env.SMTP_USER?.trim();
  return { host, port, secure: env.SMTP_SECURE === "1", ...(user ? { auth: { user, pass: env.SMTP_PASS ?? "" } } : {}) };
}

export function emailEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return smtpSettings(env) !== null;
}

/** The sender: SMTP_FROM, else "Greenlight <greenlight@localhost>". */
export function emailFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.SMTP_FROM?.trim() || "Greenlight <greenlight@localhost>";
}

/** The portal's address for links in emails: PUBLIC_URL, else NEXTAUTH_URL, else localhost:3000. */
export function portalUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_URL?.trim() || env.NEXTAUTH_URL?.trim() || "http://localhost:3000").replace(/\/+$/, "");
}
