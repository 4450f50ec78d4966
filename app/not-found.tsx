import { NotFoundPanel } from "@/components/boundaries/not-found-panel";

// An address that matches no page.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-6xl px-4 py-6">
      <NotFoundPanel />
    </main>
  );
}
