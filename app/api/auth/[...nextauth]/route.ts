import { handleAuthRequest } from "@/lib/auth/route-handler";

// next-auth's own endpoints: sign-in (credentials, SSO), callback, sign-out, session, CSRF.
export { handleAuthRequest as GET, handleAuthRequest as POST };
