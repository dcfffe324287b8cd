# VidPress worker: Hangfire workers only (render,default queues), no HTTP.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/VidPress.Worker/VidPress.Worker.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-noto-cjk fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY models/tiny-clip /models/tiny-clip
ENV Clip__ModelPath=/models/tiny-clip \
    Storage__Root=/data/media \
    Jobs__Queues__0=render \
    Jobs__Queues__1=default
VOLUME /data/media
USER app
ENTRYPOINT ["dotnet", "VidPress.Worker.dll"]
