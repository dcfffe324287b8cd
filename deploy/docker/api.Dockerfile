# VidPress API: HTTP, Swagger, dashboards, and (by default) in-process workers.
# Build from the repository root: docker build -f deploy/docker/api.Dockerfile .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/VidPress.Api/VidPress.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-noto-cjk fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# No model inside: the CLIP model is mounted at /models (compose: ./models; Kubernetes: the models volume,
# deploy/README.md), so production never runs the repository's tiny test model by accident.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Clip__ModelPath=/models/clip \
    Storage__Root=/data/media
VOLUME /data/media
EXPOSE 8080
USER app
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["dotnet", "VidPress.Api.dll"]
