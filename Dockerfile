# The portal, published and run on the ASP.NET runtime image. Built by docker-compose.yml.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props MediConnect.Portal.sln appsettings.json ./
COPY Database/ Database/
COPY MediConnect.Portal/ MediConnect.Portal/
RUN dotnet publish MediConnect.Portal/MediConnect.Portal.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# Serilog writes logs/ under the working directory: a folder the app user owns (the portal-logs volume mounts here).
RUN mkdir -p /app/logs && chown app:app /app/logs
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# curl is installed above for this check; /health answers 200 once the database answers and every migration is applied.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 CMD curl -fsS http://localhost:8080/health || exit 1
USER app
ENTRYPOINT ["dotnet", "MediConnect.Portal.dll"]
