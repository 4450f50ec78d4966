import { SectionSkeleton } from "@/components/boundaries/section-skeleton";

// Shown at once while the admin page's data loads; the admin layout has already
// answered "not found" to anyone who manages nobody.
export default function Loading() {
  return <SectionSkeleton cards={2} />;
}
