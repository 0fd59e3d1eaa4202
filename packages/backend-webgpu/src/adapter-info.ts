import type { AdapterInfo } from '@cnnkit/tensor-core';

/** What WebGPU's `GPUAdapterInfo` carries that cnnkit reads (all strings may be empty). */
export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  /** Newer WebGPU puts the fallback flag on the info, older on the adapter. */
  readonly isFallbackAdapter?: boolean;
}

// CPU emulations of a GPU, by the names their drivers report: SwiftShader (Chromium's),
// Mesa's llvmpipe/lavapipe and softpipe, Microsoft's WARP ("Basic Render Driver").
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software rasterizer|basic render|microsoft basic|\bwarp\b/i;

/**
 * Turns WebGPU's adapter description into cnnkit's, deciding whether the adapter is
 * a software emulation: the spec's fallback flag where the implementation sets it,
 * else the driver's name (Dawn leaves the flag unset on some paths).
 *
 * @example
 * ```ts
 * toAdapterInfo({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }).software; // true
 * ```
 */
export function toAdapterInfo(info: GpuAdapterInfoLike, adapterIsFallback = false): AdapterInfo {
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description || [info.device, vendor, architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  const names = [vendor, architecture, info.device ?? '', description].join(' ');
  const software = info.isFallbackAdapter === true || adapterIsFallback || SOFTWARE_NAMES.test(names);
  return { vendor, architecture, description, software };
}
