# VidPress GPU worker: serves the `gpu` queue (still generation) with ONNX Runtime's CUDA build.
# Needs the NVIDIA container toolkit on the host; without a GPU it falls back to the CPU provider.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# Linux only: the GPU package also carries its Windows DLLs (215 MB), which the image has no use for.
RUN dotnet publish src/VidPress.Worker/VidPress.Worker.csproj -c Release -r linux-x64 --no-self-contained -o /app --nologo -p:OnnxRuntimeFlavor=Gpu \
 && rm -f /app/onnxruntime*.dll

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS dotnet

# ONNX Runtime 1.31's CUDA provider links libcudart.so.13, libcublas.so.13 and libcublasLt.so.13 (CUDA 13) and loads
# cuDNN 9; on a CUDA 12 image it cannot load and generation silently falls back to the CPU.
FROM nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-noto-cjk ca-certificates libicu74 curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app .
# No model inside: CLIP and the diffusion model are mounted at /models (deploy/README.md).
ENV Clip__ModelPath=/models/clip \
    Generation__ModelPath=/models/sd \
    Generation__PreferCuda=true \
    Clip__PreferCuda=true \
    Storage__Root=/data/media \
    Jobs__Queues__0=gpu \
    Worker__MetricsPort=9464 \
    Worker__MetricsHost=*
VOLUME /data/media
EXPOSE 9464
# Ubuntu 24.04's unprivileged user (uid 1000).
USER ubuntu
HEALTHCHECK CMD curl -fsS http://127.0.0.1:9464/health || exit 1
ENTRYPOINT ["dotnet", "VidPress.Worker.dll"]
