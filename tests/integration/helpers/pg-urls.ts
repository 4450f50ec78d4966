export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function templateDatabaseName(url: string): string {
  return `${new URL(url).pathname.slice(1)}_template`;
}
