import { SectionSkeleton } from "@/components/boundaries/section-skeleton";

// Shown at once while the page's data loads. Only pages whose "not found" is decided
// above this point (the rollout layout checks membership) get one: once the placeholder
// is sent, the response's status is fixed at 200.
export default function Loading() {
  return <SectionSkeleton />;
}
