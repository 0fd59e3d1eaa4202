import { BACKEND_NAMES, type AdapterInfo, type BackendName } from '@cnnkit/tensor-core';
import { cliRegistry } from '../backend-registry.js';

export interface BackendRow {
  name: BackendName;
  available: boolean;
  reason: string | null;
  device: 'cpu' | 'gpu';
  training: boolean;
  threads: number;
  version: string | null;
  /** GPU backends (webgpu): the adapter found, or null when there is none. */
  adapter?: AdapterInfo | null;
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
      ...(name === 'webgpu' ? { adapter: availability.available ? availability.adapter ?? null : null } : {}),
    });
  }
  return rows;
}

function unregistered(name: BackendName): BackendRow {
  switch (name) {
    case 'cpu':
    case 'wasm':
    case 'webgpu':
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
  const device = (r: BackendRow) => (r.adapter ? `${r.device}: ${r.adapter.description}${r.adapter.software ? ' (software, slow)' : ''}` : r.device);
  const body = rows.map((r) => [r.name, r.available ? 'yes' : 'no', device(r), r.training ? 'yes' : 'no', String(r.threads), r.version ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const notes = rows.filter((r) => !r.available).map((r) => `  ${r.name}: ${r.reason}`);
  return [line(header), ...body.map(line), ...(notes.length ? ['', 'unavailable:', ...notes] : [])].join('\n');
}
