#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, after gpu/prepare.sh here:
#   bash .gpu-run/run.sh            (device tool: carry [".gpu-run"]; output lands in $OUT)
# 1. the webgpu conformance suite on the GPU; 2. the bench's GPU rows (cnnkit-webgpu,
# pytorch-cuda) at 128 px batch 32 and 180 px batch 128, with the CPU engines the
# ">= 10x the fastest CPU engine" ratio needs (cnnkit-onnx, cnnkit-wasm, pytorch) at 128 px.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out}
mkdir -p "$out" /tmp/gpu-run
for f in "$here"/debs/*.deb; do dpkg -x "$f" /; done
ldconfig
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
xz -dc "$here/node.xz" > /tmp/gpu-run/node && chmod +x /tmp/gpu-run/node
xz -dc "$here/node_modules/webgpu/dist/linux-x64/dawn.node.xz" > "$here/node_modules/webgpu/dist/linux-x64/dawn.node"
tar -C "$here/node_modules/onnxruntime-node/bin/napi-v6/linux" -xJf "$here/node_modules/onnxruntime-node/bin/napi-v6/linux/x64.tar.xz"
node=/tmp/gpu-run/node
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; "$node" --version; python3 -c 'import torch; print("torch", torch.__version__, torch.cuda.get_device_name(0))'; } 2>&1 | tee "$out/machine.txt"
echo "== webgpu conformance on the GPU" | tee "$out/conformance.txt"
timeout 300 "$node" "$here/dist/gpu-check.mjs" 2>&1 | tee -a "$out/conformance.txt"
echo "== bench: GPU rows and the CPU engines at 128 px" | tee "$out/bench.txt"
timeout 420 "$node" "$here/dist/cli.mjs" --engines cnnkit-webgpu,pytorch-cuda,cnnkit-onnx,cnnkit-wasm,pytorch \
  --sizes 128 --repeats 5 --warmup 1 --gpu-rows 128x32,180x128 --json "$out/bench.json" 2>&1 | tee -a "$out/bench.txt"
