-- CreateIndex
CREATE INDEX "ChecklistItem_phaseId_state_optional_position_idx" ON "ChecklistItem"("phaseId", "state", "optional", "position");

-- CreateIndex
CREATE INDEX "Document_rolloutId_title_id_idx" ON "Document"("rolloutId", "title", "id");
