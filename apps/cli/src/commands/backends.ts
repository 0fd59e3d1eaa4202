import { BACKEND_NAMES, type BackendName } from '@cnnkit/tensor-core';
import { cliRegistry } from '../backend-registry.js';

export interface BackendRow {
  name: BackendName;
  available: boolean;
  reason: string | null;
  device: 'cpu' | 'gpu';
  training: boolean;
  threads: number;
  version: string | null;
}

/** One row per backend cnnkit knows, registered or not (DESIGN.md's `backends --json` shape). */
export async function listBackends(): Promise<BackendRow[]> {
  const registry = cliRegistry();
  const rows: BackendRow[] = [];
  for (const name of BACKEND_NAMES) {
    const plugin = registry.get(name);
    if (plugin === undefined) {
      rows.push(unregistered(name));
      continue;
    }
    const availability = await plugin.isAvailable();
    const caps = plugin.capabilities();
    rows.push({
      name,
      available: availability.available,
      reason: availability.available ? null : `${availability.reason}. ${availability.fix}`,
      device: caps.device,
      training: caps.training,
      threads: caps.threads,
      version: plugin.version(),
    });
  }
  return rows;
}

function unregistered(name: BackendName): BackendRow {
  switch (name) {
    case 'cpu':
    case 'wasm':
    case 'cuda':
    case 'onnx':
      return { name, available: false, reason: `not registered in this CLI`, device: 'cpu', training: false, threads: 0, version: null };
    default: {
      const unreachable: never = name;
      throw new Error(`backends: unhandled backend ${String(unreachable)}`);
    }
  }
}

/** The human table. */
export function formatBackends(rows: BackendRow[]): string {
  const header = ['backend', 'available', 'device', 'training', 'threads', 'version'];
  const body = rows.map((r) => [r.name, r.available ? 'yes' : 'no', r.device, r.training ? 'yes' : 'no', String(r.threads), r.version ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const notes = rows.filter((r) => !r.available).map((r) => `  ${r.name}: ${r.reason}`);
  return [line(header), ...body.map(line), ...(notes.length ? ['', 'unavailable:', ...notes] : [])].join('\n');
}
