using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using MediConnect.Portal.Data;
using Npgsql;
using Serilog.Events;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Keeps the Data Protection key ring in <c>data_protection_keys</c> (migration 003), so cookies
/// and antiforgery tokens issued by one portal instance are readable by every other and after a
/// restart. The interface is synchronous; the key ring is read rarely and cached. With a
/// certificate configured (<see cref="KeyProtectionSettings"/>) every stored key is encrypted.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource db) : IXmlRepository
{
    static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";

    sealed record KeyRow(int Id, string Xml);

    /// <summary>
    /// Data Protection's own "error while reading the key ring" (with its stack trace) when the
    /// cause is an outage: the start-up check and the outage page already say so in one line.
    /// For the log's filter.
    /// </summary>
    public static bool IsKeyRingOutage(LogEvent logEvent) =>
        logEvent.Exception is not null
        && DatabaseOutage.Classify(logEvent.Exception) is not null
        && logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: string name }
        && name.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        const string sql = """
            INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@friendlyName, @xml)
            ON CONFLICT (friendly_name) DO UPDATE SET xml = EXCLUDED.xml
            """;
        using var connection = db.OpenConnection();
        connection.Execute(sql, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }

    /// <summary>
    /// Encrypts, in place, the secret parts of keys stored in clear (as Data Protection itself does
    /// when it writes a key: each element marked <c>requiresEncryption</c> becomes an
    /// <c>encryptedSecret</c>). Returns how many keys it encrypted; a key another instance changed
    /// meanwhile is left to it.
    /// </summary>
    public async Task<int> EncryptStoredKeysAsync(IXmlEncryptor encryptor, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition("SELECT id, xml FROM data_protection_keys ORDER BY id", cancellationToken: ct));
        var encrypted = 0;
        foreach (var row in rows)
        {
            var key = XElement.Parse(row.Xml);
            var secrets = key.Descendants().Where(e => (bool?)e.Attribute(RequiresEncryption) == true).ToList();
            if (secrets.Count == 0)
                continue;
            foreach (var secret in secrets)
            {
                var result = encryptor.Encrypt(new XElement(secret));
                secret.ReplaceWith(new XElement(EncryptedSecret,
                    new XAttribute("decryptorType", result.DecryptorType.AssemblyQualifiedName!), result.EncryptedElement));
            }
            encrypted += await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE data_protection_keys SET xml = @xml WHERE id = @Id AND xml = @old",
                new { row.Id, old = row.Xml, xml = key.ToString(SaveOptions.DisableFormatting) }, cancellationToken: ct));
        }
        return encrypted;
    }
}
