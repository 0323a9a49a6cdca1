# Tracker server image. Build: docker build -t tracker .
# Run:   docker run -p 8765:8765 -p 8080:8080 -v tracker-data:/app/data \
#          -e Auth__ApiKeys__ci__Hash=<sha256 hex of the key> -e Auth__ApiKeys__ci__Scopes__0=events:write tracker
#        (make a key with: dotnet run --project src/Tracker.Server -- new-api-key ci)
# With PostgreSQL: -e Storage__Provider=Postgres -e ConnectionStrings__Postgres="Host=db;Username=tracker;Password=...;Database=tracker"
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Tracker.sln ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/Tracker.Server/Tracker.Server.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Secure by default: API keys required, reflection for authenticated callers, per-caller limits,
# JSON logs (README, "Securing Tracker"). Read because the image runs in the Production environment.
COPY deploy/appsettings.Production.json ./
# The SQLite file lives in /app/data by default: mount a volume there to keep it.
RUN mkdir -p /app/data && chown app:app /app/data
USER app
EXPOSE 8765 8080
ENTRYPOINT ["dotnet", "Tracker.Server.dll"]
