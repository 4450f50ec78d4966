import type { ReactNode } from "react";
import { ClientMessages } from "@/components/layout/client-messages";

// The translations this section's client components use, sent to the browser with its pages.
export default function GoNoGoLayout({ children }: { children: ReactNode }) {
  return <ClientMessages namespaces={["signOffs"]}>{children}</ClientMessages>;
}
