#!/bin/bash
# Packs `VidPress.Bench generate` for a GPU machine that has CUDA 13 and cuDNN 9 but no .NET SDK and takes uploads of
# at most 64 MiB: a self-contained, partly trimmed publish with the CUDA build of ONNX Runtime, split in two archives:
#   .gpua/cuda90.so.xz  the CUDA provider with only sm_90 (H100/H200) kernels kept (bench/gpu/prune-fatbin.py)
#   .gpub/bench.tar.xz  the rest (runtime, bench, libonnxruntime.so)
# Then, on the device, in the repository root: first `mkdir -p /tmp/vp && xz -dc .gpua/cuda90.so.xz >
# /tmp/vp/libonnxruntime_providers_cuda.so` (carrying .gpua), then `bash bench/gpu/run.sh` (carrying .gpub).
# On a GPU host with the .NET SDK none of this is needed:
#   dotnet run -c Release --project bench/VidPress.Bench -p:OnnxRuntimeFlavor=Gpu -- generate cuda 40 64,256,512 1
set -euo pipefail
cd "$(dirname "$0")/../.."
arch=${1:-90}
pub=$(mktemp -d)
trap 'rm -rf "$pub"' EXIT
# The trim analysis warnings come from EF Core and Hangfire, which `generate` does not touch.
dotnet publish bench/VidPress.Bench -c Release -r linux-x64 --self-contained -p:OnnxRuntimeFlavor=Gpu \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:InvariantGlobalization=true -p:TreatWarningsAsErrors=false \
  -p:SuppressTrimAnalysisWarnings=true -o "$pub/gpupub" --nologo -v quiet
rm -f "$pub"/gpupub/*.pdb "$pub"/gpupub/onnxruntime*.dll "$pub"/gpupub/libonnxruntime_providers_tensorrt.so
mkdir -p .gpua .gpub
grep -qx '/.gpua/' .git/info/exclude 2>/dev/null || printf '/.gpua/\n/.gpub/\n' >> .git/info/exclude
python3 bench/gpu/prune-fatbin.py "$pub/gpupub/libonnxruntime_providers_cuda.so" "$pub/cuda.so" "$arch"
rm "$pub/gpupub/libonnxruntime_providers_cuda.so"
xz -9 -T2 -c "$pub/cuda.so" > .gpua/cuda90.so.xz
tar -C "$pub" -cf - gpupub | xz -9 -T2 > .gpub/bench.tar.xz
ls -la .gpua .gpub
