"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string; exact: boolean };

/** Whether a link is the page on screen: the same path, or (for a section) a page inside it. */
export function isCurrent(pathname: string, link: NavLink): boolean {
  return pathname === link.href || (!link.exact && pathname.startsWith(`${link.href}/`));
}

/**
 * Links that mark the page on screen, for sighted people (a filled, underlined tab) and for
 * screen readers (`aria-current="page"`).
 */
export function CurrentLinks({ links, variant }: { links: NavLink[]; variant: "tabs" | "pills" }) {
  const pathname = usePathname();
  return (
    <>
      {links.map((link) => {
        const current = isCurrent(pathname, link);
        const look =
          variant === "tabs"
            ? current
              ? "inline-block rounded-md border-b-2 border-green-700 bg-white px-3 py-1.5 font-semibold text-slate-900 shadow-sm"
              : "inline-block rounded-md border-b-2 border-transparent px-3 py-1.5 text-slate-700 hover:bg-white hover:text-slate-900"
            : current
              ? "inline-block rounded-full border border-green-700 bg-green-50 px-3 py-1 font-semibold text-green-900"
              : "inline-block rounded-full border border-slate-300 bg-white px-3 py-1 text-slate-800 hover:bg-slate-50";
        return (
          <li key={link.href}>
            <Link href={link.href} className={look} aria-current={current ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        );
      })}
    </>
  );
}
