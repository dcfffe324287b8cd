#!/bin/bash
# Device side of bench/gpu/pack.sh: unpacks the bench, adds the CUDA provider unpacked by the first call, and runs
# `generate` on CUDA (FP32, then TF32, then 4 generations at a time) and on the CPU, sampling the GPU's utilisation;
# `run.sh clip` runs the CLIP benchmark (tiny model and the ViT-B/32 architecture) on CUDA and on the CPU instead.
set -u
repo=$PWD
out=${OUT:-/tmp/gpu-bench-out}; mkdir -p "$out"
test -f /tmp/vp/libonnxruntime_providers_cuda.so || { echo "no CUDA provider in /tmp/vp: run the first call"; exit 9; }
mkdir -p /tmp/b && xz -dc .gpub/bench.tar.xz | tar -C /tmp/b -xf - || exit 8
cp /tmp/vp/libonnxruntime_providers_cuda.so /tmp/b/gpupub/
libs=$(find / -xdev \( -name 'libcudart.so.13' -o -name 'libcublas.so.13' -o -name 'libcublasLt.so.13' -o -name 'libcurand.so.10' \
  -o -name 'libcudnn.so.9' \) 2>/dev/null | xargs -r -n1 dirname | sort -u | tr '\n' ':')
export LD_LIBRARY_PATH="${libs}${LD_LIBRARY_PATH:-}"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 VIDPRESS_REPO_ROOT=$repo VIDPRESS_BENCH_WORK=/tmp/bench-work
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
cd /tmp/b/gpupub
bench() { timeout 200 ./VidPress.Bench "$@" 2>&1 | grep -v "onnxruntime:," | cut -c1-1500 | tee -a "$out/bench.txt"; }
if [ "${1:-}" = clip ]; then
  bench clip 30 5 cuda
  bench clip 30 5 cpu
  echo "nproc=$(nproc)"
  exit 0
fi
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader -lms 500 > "$out/smi.txt" 2>&1 &
smi=$!
bench generate cuda "${N:-40}" 64,256,512 1
kill $smi; echo "GPU utilisation, memory during the CUDA run (highest samples):"; sort -t, -k1 -n "$out/smi.txt" | tail -4
bench generate cuda-tf32 "${N:-40}" 64,256,512 1
bench generate cuda 80 64,512 4
bench generate cpu "${N:-40}" 64,256,512 1
echo "nproc=$(nproc)"
