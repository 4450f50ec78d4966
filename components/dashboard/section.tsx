import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Card>
      <section aria-labelledby={id} className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id={id} className="text-lg font-semibold">{title}</h2>
          {actions}
        </div>
        {children}
      </section>
    </Card>
  );
}
