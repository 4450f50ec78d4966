import { z } from "zod";
import { invalid } from "../i18n/zod";
import { id as idSchema, text } from "./input";

const id = idSchema();

/** An event type: "*" (every event), a ledger action ("item.state.changed") or a family ("item.*"). */
export const EVENT_TYPE = /^(\*|[a-z][a-z0-9-]*(\.[a-z0-9-]+)*(\.\*)?)$/;

const url = text({ error: invalid("validation.webhooks.url") })
  .trim()
  .min(1, { error: invalid("validation.webhooks.url") })
  .max(2000, { error: invalid("validation.webhooks.url") })
  .refine((value) => URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol), { error: invalid("validation.webhooks.url") });

/** From a form: the "every event" box, or a list written with commas, spaces or new lines. */
const events = z.preprocess(
  (value) => (Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : value),
  z
    .array(text().trim())
    .transform((list) => [...new Set(list.filter((item) => item !== ""))])
    .pipe(
      z
        .array(z.string().max(100, { error: invalid("validation.webhooks.events") }).regex(EVENT_TYPE, { error: invalid("validation.webhooks.events") }))
        .min(1, { error: invalid("validation.webhooks.events") })
        .max(30, { error: invalid("validation.webhooks.events") }),
    ),
);

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

export const createWebhookSchema = z
  .object({ rolloutId: id, url, events: events.optional(), allEvents: checkbox, slack: checkbox })
  .transform(({ allEvents, events: list, ...rest }) => ({ ...rest, events: allEvents ? ["*"] : (list ?? []) }))
  .refine((input) => input.events.length > 0, { error: invalid("validation.webhooks.events"), path: ["events"] });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const webhookSchema = z.object({ rolloutId: id, webhookId: id });
export const deliverySchema = z.object({ rolloutId: id, deliveryId: id });
