import { resolve } from "node:path";

// What the browser tests' server is given for the operations spec: the metrics token, and
// the file its structured log (stdout) is copied to, named after its port.
export const E2E_METRICS_TOKEN = "e2e-metrics-token-5d1c0b7e9a";
export const serverLogPath = (port: string | number) => resolve(`.data/e2e-server-${port}.log`);
