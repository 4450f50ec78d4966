import { NotFoundPanel } from "@/components/boundaries/not-found-panel";

export default function PortalNotFound() {
  return <NotFoundPanel />;
}
