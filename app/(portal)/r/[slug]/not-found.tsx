import { NotFoundPanel } from "@/components/boundaries/not-found-panel";

export default function RolloutNotFound() {
  return <NotFoundPanel text="notFoundRollout" />;
}
