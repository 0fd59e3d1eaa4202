#!/usr/bin/env bash
# Prepares .gpu-run/ (git-ignored) for a GPU machine that has no Node and no network
# (the `device` tool's H200: CUDA torch, Python, no Node): a Node binary, the bench and
# the webgpu conformance runner bundled with esbuild, Dawn's dawn.node, onnxruntime-node's
# CPU libraries, tfjs's .wasm files and the Vulkan loader .debs. About 45 MiB, xz'd.
# Then run gpu/run.sh there (see the bench README, "On a GPU machine").
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=.gpu-run
grep -qx '/.gpu-run/' .git/info/exclude 2>/dev/null || echo '/.gpu-run/' >> .git/info/exclude
rm -rf "$out" && mkdir -p "$out/node_modules" "$out/dist"
npx -y pnpm@12.4.2 turbo run build --filter=@cnnkit/bench... --output-logs=errors-only
esbuild=$(node -e "console.log(require.resolve('esbuild/bin/esbuild', { paths: ['tooling/bench'] }))")
# Natives stay outside the bundle and travel as packages next to it; the banner gives
# the CommonJS parts (tfjs's node builds) require and __dirname.
common=(--bundle --platform=node --format=esm --target=node20 --log-level=warning
  --external:webgpu --external:onnxruntime-node --external:sharp --external:@tensorflow/tfjs-node-gpu
  "--banner:js=import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);")
# Splitting keeps lazily imported modules (sharp's users) in chunks loaded only on use.
"$esbuild" tooling/bench/gpu/gpu-check.ts tooling/bench/dist/cli.js "${common[@]}" --splitting --outdir="$out/dist" --entry-names=[name] --out-extension:.js=.mjs
# torch_bench.py is found relative to the bench's dist/: ../python from the bundle.
mkdir -p "$out/python" && cp tooling/bench/python/torch_bench.py "$out/python/"
# tfjs-backend-wasm reads its .wasm from the directory of the code that loads it.
cp node_modules/.pnpm/@tensorflow+tfjs-backend-wasm@4.22.0*/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/dist/"
dawn=$(dirname "$(node -e "console.log(require.resolve('webgpu/package.json', { paths: ['packages/backend-webgpu'] }))")")
mkdir -p "$out/node_modules/webgpu/dist/linux-x64"
cp "$dawn/package.json" "$dawn/index.js" "$out/node_modules/webgpu/"
xz -6 -c "$dawn/dist/linux-x64/dawn.node" > "$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
ort=$(dirname "$(node -e "console.log(require.resolve('onnxruntime-node/package.json', { paths: ['packages/backend-onnx'] }))")")
common_pkg=$(cd "$ort/../onnxruntime-common" && pwd)  # pnpm puts a package's dependencies beside it
mkdir -p "$out/node_modules/onnxruntime-node/bin/napi-v6/linux" "$out/node_modules/onnxruntime-common"
cp -r "$ort/package.json" "$ort/dist" "$out/node_modules/onnxruntime-node/"
# Hard links into the pnpm store can have their times touched by a concurrent install (exit 1, harmless).
tar -C "$ort/bin/napi-v6/linux" --warning=no-file-changed -cJf "$out/node_modules/onnxruntime-node/bin/napi-v6/linux/x64.tar.xz" x64 || [ $? -eq 1 ]
cp -r "$common_pkg/package.json" "$common_pkg/dist" "$out/node_modules/onnxruntime-common/"
xz -6 -c "$(command -v node)" > "$out/node.xz"
# The Vulkan loader and GL stack for the NVIDIA driver (the device tool's recipe).
mkdir -p "$out/debs" /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update -qq
(cd "$out/debs" && apt-get $o download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
cp tooling/bench/gpu/run.sh "$out/"
du -sh "$out"
