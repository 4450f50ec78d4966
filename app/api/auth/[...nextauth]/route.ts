import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/auth/options";

// next-auth's own endpoints: sign-in (credentials, SSO), callback, sign-out, session, CSRF.
const handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) =>
  NextAuth(request as never, context as never, buildAuthOptions());

export { handler as GET, handler as POST };
