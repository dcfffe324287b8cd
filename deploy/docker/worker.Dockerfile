# VidPress worker: Hangfire workers only (render,default queues); its own port 9464 serves /metrics and /health.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/VidPress.Worker/VidPress.Worker.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-noto-cjk fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# No model inside: mounted at /models (deploy/README.md).
ENV Clip__ModelPath=/models/clip \
    Storage__Root=/data/media \
    Jobs__Queues__0=render \
    Jobs__Queues__1=default \
    Worker__MetricsPort=9464 \
    Worker__MetricsHost=*
VOLUME /data/media
EXPOSE 9464
USER app
HEALTHCHECK CMD curl -fsS http://127.0.0.1:9464/health || exit 1
ENTRYPOINT ["dotnet", "VidPress.Worker.dll"]
