// Where serve mode writes `export:data`: a fresh folder under the data dir. The page cannot name
// a path, so a page that obtained the token still cannot write outside `<data dir>/exports`.
import { join } from 'node:path';
import type { ExportFormat } from '../../shared/domain';

/**
 * `<dataDir>/exports/<format>-<UTC time>`, e.g. `exports/csv-2026-11-25T20-15-00-000Z`. Creates
 * nothing (the export does). Two exports in the same millisecond share a folder.
 */
export function exportDirUnder(dataDir: string, format: ExportFormat, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  return join(dataDir, 'exports', `${format}-${stamp}`);
}
