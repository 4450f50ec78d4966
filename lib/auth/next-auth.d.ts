import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id?: string; name?: string | null; email?: string | null };
    sv?: number;
    authTime?: number;
    lastSeen?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sv?: number;
    sid?: string;
    authTime?: number;
    lastSeen?: number;
  }
}
