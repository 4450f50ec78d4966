import { createTranslator } from "next-intl";
import en from "../i18n/messages/en.json";
import ptBR from "../i18n/messages/pt-BR.json";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/config";
import { portalUrl } from "./config";

// The text of an email, in the recipient's language (their account's locale, else English).
// A notification's sentence is the inbox's (`notifications.kind.<KIND>`), so every kind —
// one added later included — reads the same in the portal and by email; a kind without a
// sentence yet falls back to its name rather than failing the send.

const CATALOGS = { en, "pt-BR": ptBR } as const;

export type EmailEntry = { kind: string; subject: string | null; rolloutName: string | null; link: string | null };
export type RenderedEmail = { subject: string; text: string; html: string };

function translator(locale: string | null | undefined) {
  const chosen: Locale = isLocale(locale) ? locale : DEFAULT_LOCALE;
  return createTranslator({ locale: chosen, messages: CATALOGS[chosen], onError: () => {}, getMessageFallback: ({ key }) => key.split(".").pop() ?? key });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An absolute link into the portal for a path ("/r/…"). */
export function absoluteLink(path: string | null): string {
  const base = portalUrl();
  return path ? `${base}${path.startsWith("/") ? path : `/${path}`}` : base;
}

function lines(t: ReturnType<typeof translator>, entry: EmailEntry) {
  const sentence = t(`notifications.kind.${entry.kind}` as never);
  const about = entry.subject ? t("email.about", { subject: entry.subject }) : null;
  const where = entry.rolloutName ? t("email.inRollout", { rollout: entry.rolloutName }) : null;
  return { sentence, about, where, url: absoluteLink(entry.link) };
}

/** One notification's email. */
export function renderNotificationEmail(locale: string | null | undefined, name: string, entry: EmailEntry): RenderedEmail {
  const t = translator(locale);
  const { sentence, about, where, url } = lines(t, entry);
  const settings = absoluteLink("/account#notification-settings");
  const subject = t("email.subjectLine", { sentence: entry.subject ? `${sentence}: ${entry.subject}` : sentence });
  const text = [t("email.greeting", { name }), "", sentence, about, where, "", t("email.open", { url }), "", t("email.footer", { url: settings })].filter((l) => l !== null).join("\n");
  const html = [
    `<p>${escape(t("email.greeting", { name }))}</p>`,
    `<p><strong>${escape(sentence)}</strong>${about ? `<br>${escape(about)}` : ""}${where ? `<br>${escape(where)}` : ""}</p>`,
    `<p><a href="${escape(url)}">${escape(t("email.openLink"))}</a></p>`,
    `<p style="color:#475569;font-size:12px">${escape(t("email.footer", { url: settings }))}</p>`,
  ].join("\n");
  return { subject, text, html };
}

/** The daily digest: what was held for the day, and how many notifications are unread in the portal. */
export function renderDigestEmail(locale: string | null | undefined, name: string, entries: EmailEntry[], unread: number): RenderedEmail {
  const t = translator(locale);
  const items = entries.map((entry) => lines(t, entry));
  const settings = absoluteLink("/account#notification-settings");
  const inbox = absoluteLink("/notifications");
  const subject = t("email.digestSubject", { count: entries.length });
  const text = [
    t("email.greeting", { name }),
    "",
    t("email.digestIntro"),
    "",
    ...items.map((i) => `- ${i.sentence}${i.about ? ` ${i.about}` : ""}${i.where ? ` (${i.where})` : ""}\n  ${i.url}`),
    "",
    t("email.digestUnread", { count: unread }),
    t("email.open", { url: inbox }),
    "",
    t("email.footer", { url: settings }),
  ].join("\n");
  const html = [
    `<p>${escape(t("email.greeting", { name }))}</p>`,
    `<p>${escape(t("email.digestIntro"))}</p>`,
    `<ul>${items.map((i) => `<li><a href="${escape(i.url)}">${escape(i.sentence)}</a>${i.about ? ` ${escape(i.about)}` : ""}${i.where ? ` (${escape(i.where)})` : ""}</li>`).join("")}</ul>`,
    `<p>${escape(t("email.digestUnread", { count: unread }))} <a href="${escape(inbox)}">${escape(t("email.openLink"))}</a></p>`,
    `<p style="color:#475569;font-size:12px">${escape(t("email.footer", { url: settings }))}</p>`,
  ].join("\n");
  return { subject, text, html };
}
