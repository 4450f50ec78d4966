import { existsSync } from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT) || 3100;
const SSO_PORT = Number(process.env.E2E_OIDC_PORT) || 3101;

// Debian's Chromium where it is installed (or CHROMIUM_PATH), else Playwright's own
// browser; when neither is there, say how to get one instead of failing obscurely.
function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((path) => path && existsSync(path));
  if (found) return found;
  if (existsSync(chromium.executablePath())) return undefined;
  throw new Error(
    "No Chromium for the browser tests. Install one of:\n" +
      "  - Debian/Ubuntu: sudo apt-get install chromium   (or set CHROMIUM_PATH to a Chromium binary)\n" +
      "  - Playwright's own build: npx playwright install chromium",
  );
}

function browser() {
  return {
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  };
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  // All browser tests share one seeded database for the run. The journeys change it for
  // good (Phase 1 ends up done), so they run after every other spec has passed; the
  // operations spec runs last of all.
  projects: [
    { name: "chromium", testIgnore: /(journeys|operations)\.spec\.ts/, use: browser() },
    { name: "journeys", testMatch: /journeys\.spec\.ts/, dependencies: ["chromium"], use: browser() },
    // After everything else: scrapes the metrics and searches the whole run's log for secrets.
    { name: "operations", testMatch: /operations\.spec\.ts/, dependencies: ["journeys"], use: browser() },
  ],
  webServer: [
    // A real OpenID Connect provider for the company-SSO tests (tests/e2e/sso.spec.ts).
    {
      command: "tsx tests/e2e/oidc-provider.ts",
      url: `http://127.0.0.1:${SSO_PORT}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { E2E_PORT: String(PORT), E2E_OIDC_PORT: String(SSO_PORT) },
    },
    {
      command: "tsx tests/e2e/serve.ts",
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { E2E_PORT: String(PORT), E2E_OIDC_PORT: String(SSO_PORT) },
    },
  ],
});
