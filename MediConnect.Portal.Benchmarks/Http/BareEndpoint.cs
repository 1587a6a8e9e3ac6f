using System.Text.Json;
using MediConnect.Portal.Benchmarks.Pages;
using Npgsql;

namespace MediConnect.Portal.Benchmarks.Http;

/// <summary>
/// <c>bare</c>: the floor for <c>GET /doctor</c>. A minimal-API endpoint that runs the SQL the portal
/// runs to render <c>/doctor</c> for the same signed-in doctor (<see cref="PageLoad.DoctorHomeRender"/>:
/// the session lookup, the two unread badges, today's counts; recorded from the services at start)
/// straight on Npgsql and returns the rows as JSON. No cookie, no components, no Dapper: what is
/// left is ASP.NET Core and the database.
/// </summary>
public static class BareEndpoint
{
    public static async Task<int> RunAsync(Options options)
    {
        var connection = options.Required("connection");
        var shape = await Shape.ReadAsync(connection);
        var ids = shape.Ids(int.Parse(options.Get("patient-index", "0"), System.Globalization.CultureInfo.InvariantCulture));
        IReadOnlyList<CapturedCommand> commands;
        await using (var recorder = new CommandRecorder(connection))
            commands = await recorder.RecordAsync(PageLoad.DoctorHomeRender, shape, ids);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Required("urls"));
        builder.Logging.ClearProviders();
        // No reset between uses, as the portal's main pool (it keeps no session state either).
        builder.Services.AddNpgsqlDataSource(new NpgsqlConnectionStringBuilder(connection) { NoResetOnClose = true }.ConnectionString);
        var app = builder.Build();
        app.MapGet("/doctor", async (NpgsqlDataSource db, HttpResponse response, CancellationToken ct) =>
        {
            response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(response.BodyWriter);
            await using var conn = await db.OpenConnectionAsync(ct);
            json.WriteStartArray();
            foreach (var captured in commands)
            {
                await using var command = new NpgsqlCommand(captured.Sql, conn);
                foreach (var (name, value) in captured.Parameters)
                    command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                await using var reader = await command.ExecuteReaderAsync(ct);
                json.WriteStartArray();
                while (await reader.ReadAsync(ct))
                {
                    json.WriteStartObject();
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        json.WritePropertyName(reader.GetName(i));
                        JsonSerializer.Serialize(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
        });
        await app.RunAsync();
        return 0;
    }
}
