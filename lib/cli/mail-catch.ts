// `npm run mail:catch`: a local SMTP server for development that prints every email it is
// sent. Point the portal at it with SMTP_URL=smtp://127.0.0.1:1025 (MAIL_CATCH_PORT to change).
import { startMailCatcher } from "../email/catcher";

const port = Number(process.env.MAIL_CATCH_PORT ?? 1025);
const catcher = await startMailCatcher({
  port,
  onMail(mail) {
    process.stdout.write(`\n--- ${new Date().toISOString()} to ${mail.envelopeTo.join(", ")}\nSubject: ${mail.subject ?? ""}\n\n${mail.text ?? ""}\n`);
  },
});
process.stdout.write(`Mail catcher listening on ${catcher.url} (set SMTP_URL=${catcher.url}); Ctrl+C to stop.\n`);
process.on("SIGINT", () => void catcher.close().then(() => process.exit(0)));
