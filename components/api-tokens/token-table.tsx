import { getFormatter, getTranslations } from "next-intl/server";
import { RevokeTokenButton } from "./token-forms";

type TokenRow = { id: string; name: string; prefix: string; scopes: string[]; expiresAt: Date; lastUsedAt: Date | null; lastUsedAddress: string | null; revokedAt: Date | null };

/** A list of API tokens (what may be shown of them: never the secret), each revocable while live. */
export async function TokenTable({ tokens, rolloutId, now = new Date() }: { tokens: TokenRow[]; rolloutId?: string; now?: Date }) {
  const [t, format] = await Promise.all([getTranslations("apiTokens"), getFormatter()]);
  if (tokens.length === 0) return <p className="text-sm text-slate-600">{t("none")}</p>;
  const day = (date: Date) => format.dateTime(date, { dateStyle: "medium" });
  return (
    <ul className="flex flex-col gap-2">
      {tokens.map((token) => {
        const status = token.revokedAt ? t("revokedOn") : token.expiresAt <= now ? t("expired") : t("active");
        return (
          <li key={token.id} className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-slate-200 p-3 text-sm">
            <div className="flex min-w-0 flex-col gap-0.5">
              <p className="font-medium">
                {token.name} <span className="font-mono text-xs text-slate-600">{token.prefix}…</span>
              </p>
              <p className="break-words text-slate-600">{token.scopes.join(", ")}</p>
              <p className="text-slate-600">
                {t("status")}: {status} · {t("expires")}: {day(token.expiresAt)} · {t("lastUsed")}:{" "}
                {token.lastUsedAt ? `${day(token.lastUsedAt)}${token.lastUsedAddress ? ` (${token.lastUsedAddress})` : ""}` : t("never")}
              </p>
            </div>
            {!token.revokedAt && token.expiresAt > now ? <RevokeTokenButton tokenId={token.id} rolloutId={rolloutId} label={token.name} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
