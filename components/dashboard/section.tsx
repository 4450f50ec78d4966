import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Card as="div">
      <section aria-labelledby={id} className="flex flex-col gap-3">
        <div className="section-head">
          <h2 id={id} className="text-lg font-semibold">{title}</h2>
          {actions}
        </div>
        {children}
      </section>
    </Card>
  );
}
