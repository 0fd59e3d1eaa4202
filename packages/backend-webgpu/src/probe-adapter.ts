import type { AdapterInfo, Availability } from '@cnnkit/tensor-core';
import { toAdapterInfo, type GpuAdapterInfoLike } from './adapter-info.js';
import { DAWN_PACKAGE, DAWN_VERSION } from './dawn-package.js';

/** What a probe found: an adapter, or why there is none and how to get one. */
export type ProbeResult =
  | { readonly available: true; readonly adapter: AdapterInfo }
  | { readonly available: false; readonly reason: string; readonly fix: string };

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

// The child asks Dawn for an adapter and prints what it got as one JSON line. Dawn
// reports why Vulkan failed on stderr only, from native code, so the parent reads it there.
const CHILD = `
const [url, flags, power] = [process.argv[1], JSON.parse(process.argv[2]), process.argv[3]];
try {
  const { create, globals } = await import(url);
  Object.assign(globalThis, globals);
  const adapter = await create(flags).requestAdapter({ powerPreference: power });
  const info = adapter === null ? null : adapter.info;
  const pick = (k) => (info && typeof info[k] === 'string' ? info[k] : '');
  console.log(JSON.stringify(adapter === null ? { adapter: null } : { adapter: {
    vendor: pick('vendor'), architecture: pick('architecture'), device: pick('device'), description: pick('description'),
    isFallbackAdapter: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true } }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message || e).split('\\n')[0] }));
}
process.exit(0);
`;

const SWIFTSHADER_HINT =
  'for a slow software GPU (tests, CI) install Debian\'s chromium and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Turns Dawn's stderr and the probe's answer into a reason a person can act on.
 * Exported for tests: each branch is a message users see in `cnnkit backends`.
 */
export function explainNoAdapter(stderr: string, error: string | null, platform: string = isNode ? process.platform : 'browser'): { reason: string; fix: string } {
  if (error !== null && /dawn\.node|ERR_DLOPEN|cannot open shared object|invalid ELF|GLIBC/i.test(error)) {
    return {
      reason: `the ${DAWN_PACKAGE} package is installed but its native module failed to load (${error})`,
      fix: `Reinstall it ("npm install ${DAWN_PACKAGE}@${DAWN_VERSION}"); it ships dawn.node for linux-x64/arm64, macOS and Windows x64/arm64. Or choose --backend wasm.`,
    };
  }
  if (error !== null) {
    return { reason: `asking Dawn for an adapter failed (${error})`, fix: 'Choose --backend wasm, or report this with the output of "cnnkit backends".' };
  }
  if (/couldn'?t load vulkan|libvulkan\.so/i.test(stderr)) {
    return {
      reason: 'the Vulkan loader libvulkan.so.1 is not installed',
      fix: 'Install it (Debian/Ubuntu: "apt-get install libvulkan1"; Fedora/RHEL: "dnf install vulkan-loader"), plus your GPU\'s Vulkan driver; or choose --backend wasm.',
    };
  }
  if (/found no drivers|VK_ERROR_INCOMPATIBLE_DRIVER/i.test(stderr)) {
    return {
      reason: 'the Vulkan loader found no GPU driver',
      fix: `Install your GPU's Vulkan driver (NVIDIA: the proprietary driver, whose nvidia_icd.json must be in /usr/share/vulkan/icd.d or named by VK_DRIVER_FILES; AMD/Intel: "apt-get install mesa-vulkan-drivers"); ${SWIFTSHADER_HINT}; or choose --backend wasm.`,
    };
  }
  const required = /Vulkan (\S+) required/i.exec(stderr);
  if (required !== null) {
    return {
      reason: `the only Vulkan driver here is too old for Dawn (it lacks ${required[1]})`,
      fix: `Update the GPU driver (Mesa >= 23 for lavapipe); ${SWIFTSHADER_HINT}; or choose --backend wasm.`,
    };
  }
  const firstWarning = stderr.split('\n').map((l) => l.trim()).find((l) => /^(warning|error):/i.test(l) && !/XDG_RUNTIME_DIR/.test(l));
  const graphics = platform === 'darwin' ? 'Metal' : platform === 'win32' ? 'Direct3D 12' : 'Vulkan';
  return {
    reason: `WebGPU (Dawn) found no GPU adapter${firstWarning === undefined ? '' : ` (${firstWarning})`}`,
    fix: `Check that a GPU driver with ${graphics} support is installed${platform === 'linux' ? `; ${SWIFTSHADER_HINT}` : ''}; or choose --backend wasm.`,
  };
}

async function probeInNode(flags: readonly string[], power: string, timeoutMs: number): Promise<ProbeResult> {
  // Node-only modules load here, so a browser bundle of this package never needs them.
  const { ensureRuntimeDir, resolveDawn } = await import('./dawn.js');
  const url = resolveDawn();
  if (url === null) {
    return {
      available: false,
      reason: `the optional package ${DAWN_PACKAGE} (Dawn's WebGPU for Node) is not installed`,
      fix: `Install it next to @cnnkit/backend-webgpu with "npm install ${DAWN_PACKAGE}@${DAWN_VERSION}", or choose --backend wasm.`,
    };
  }
  const { execFile } = await import('node:child_process');
  await ensureRuntimeDir();
  const { stdout, stderr, failure } = await new Promise<{ stdout: string; stderr: string; failure: string | null }>((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CHILD, url, JSON.stringify(flags), power],
      { timeout: timeoutMs, env: process.env, maxBuffer: 1 << 20 },
      (error, out, err) => resolve({
        stdout: String(out), stderr: String(err),
        failure: error === null ? null : (error as { killed?: boolean }).killed ? `no answer within ${timeoutMs / 1000} s` : error.message.split('\n')[0],
      }),
    );
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  type Answer = { adapter?: GpuAdapterInfoLike | null; error?: string };
  let answer: Answer | null;
  try {
    answer = JSON.parse(line) as Answer;
  } catch {
    answer = null;
  }
  if (answer === null) return { available: false, ...explainNoAdapter(stderr, failure ?? `the probe printed no answer: ${stderr.trim().split('\n')[0] ?? ''}`) };
  if (answer.error !== undefined) return { available: false, ...explainNoAdapter(stderr, answer.error) };
  if (answer.adapter == null) return { available: false, ...explainNoAdapter(stderr, null) };
  return { available: true, adapter: toAdapterInfo(answer.adapter) };
}

async function probeInBrowser(power: 'high-performance' | 'low-power'): Promise<ProbeResult> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(o: object): Promise<{ info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean } | null> } } }).navigator?.gpu;
  if (gpu === undefined) {
    return {
      available: false,
      reason: 'this browser exposes no navigator.gpu (WebGPU is off, unsupported, or the page is not served over https/localhost)',
      fix: 'Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+ on Windows), or choose wasm.',
    };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: power });
  if (adapter === null) {
    return { available: false, reason: 'navigator.gpu returned no adapter (the GPU may be blocklisted)', fix: 'Update the GPU driver or browser, or choose wasm.' };
  }
  return { available: true, adapter: toAdapterInfo(adapter.info ?? {}, adapter.isFallbackAdapter === true) };
}

export interface ProbeOptions {
  /** Flags for Dawn's `create()` in Node, e.g. `['backend=vulkan']`. */
  dawnFlags?: readonly string[];
  powerPreference?: 'high-performance' | 'low-power';
  /** Node: how long the probe process may take. Default 30 s (a cold driver start can be slow). */
  timeoutMs?: number;
}

/**
 * Finds the adapter WebGPU would give cnnkit, without creating a device and without
 * loading Dawn into this process (in Node the probe runs in a child process, so a
 * driver that crashes or prints warnings cannot touch the caller).
 *
 * @example
 * ```ts
 * const found = await probeAdapter();
 * if (found.available) console.log(found.adapter.description, found.adapter.software);
 * ```
 */
export async function probeAdapter(options: ProbeOptions = {}): Promise<ProbeResult> {
  const power = options.powerPreference ?? 'high-performance';
  return isNode ? probeInNode(options.dawnFlags ?? [], power, options.timeoutMs ?? 30_000) : probeInBrowser(power);
}

/** The probe's answer in the plugin contract's shape. */
export function toAvailability(result: ProbeResult): Availability {
  return result.available ? { available: true, adapter: result.adapter } : result;
}
