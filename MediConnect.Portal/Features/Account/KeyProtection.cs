using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediConnect.Portal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Npgsql;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<c>DATA_PROTECTION_CERT_FILE</c>,
/// a PKCS#12 file with an RSA key, and <c>DATA_PROTECTION_CERT_PASSWORD</c>), and the previous one
/// while certificates rotate (<c>DATA_PROTECTION_PREVIOUS_CERT_FILE</c> / <c>…_PASSWORD</c>), which
/// still decrypts the keys it encrypted but encrypts nothing new.
/// </summary>
public sealed record KeyProtectionSettings(X509Certificate2? Certificate, X509Certificate2? PreviousCertificate)
{
    /// <exception cref="PortalConfigurationException">A certificate file is missing, unreadable or unfit.</exception>
    public static KeyProtectionSettings From(IConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(config["DATA_PROTECTION_CERT_FILE"]) && !string.IsNullOrWhiteSpace(config["DATA_PROTECTION_PREVIOUS_CERT_FILE"]))
            throw new PortalConfigurationException("DATA_PROTECTION_PREVIOUS_CERT_FILE is set without DATA_PROTECTION_CERT_FILE: set the new certificate too.");
        return new KeyProtectionSettings(
            Load(config, "DATA_PROTECTION_CERT_FILE", "DATA_PROTECTION_CERT_PASSWORD"),
            Load(config, "DATA_PROTECTION_PREVIOUS_CERT_FILE", "DATA_PROTECTION_PREVIOUS_CERT_PASSWORD"));
    }

    public void Apply(IDataProtectionBuilder dataProtection)
    {
        if (Certificate is not null)
            dataProtection.ProtectKeysWithCertificate(Certificate);
        if (PreviousCertificate is not null)
            dataProtection.UnprotectKeysWithAnyCertificate(PreviousCertificate);
    }

    static X509Certificate2? Load(IConfiguration config, string fileSetting, string passwordSetting)
    {
        var path = config[fileSetting];
        if (string.IsNullOrWhiteSpace(path))
            return null;
        if (!File.Exists(path))
            throw new PortalConfigurationException($"{fileSetting} names a file that does not exist: '{path}'.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, config[passwordSetting]);
        }
        catch (CryptographicException)
        {
            throw new PortalConfigurationException(
                $"{fileSetting} '{path}' cannot be read: it must be a PKCS#12 (.pfx) file with its private key, and {passwordSetting} its password.");
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
            throw new PortalConfigurationException($"{fileSetting} '{path}' must hold an RSA certificate together with its private key.");
        return certificate;
    }
}

/// <summary>
/// At start: with a certificate, encrypts any key still stored in clear (created before the
/// certificate was configured), so no key material stays readable in the table or its backups;
/// without one, outside Development, warns that the keys are stored unencrypted.
/// </summary>
public sealed class KeyProtection(KeyProtectionSettings settings, NpgsqlDataSource db, IHostEnvironment environment, ILoggerFactory loggers, ILogger<KeyProtection> logger)
{
    public async Task CheckAsync(CancellationToken ct = default)
    {
        if (settings.Certificate is null)
        {
            if (!environment.IsDevelopment())
                logger.LogWarning("Data Protection keys are stored UNENCRYPTED in the data_protection_keys table: anyone who reads the database or a backup "
                    + "can forge session cookies and decrypt authenticator secrets. Set DATA_PROTECTION_CERT_FILE and DATA_PROTECTION_CERT_PASSWORD "
                    + "(docs/operations/key-protection.md)");
            return;
        }

        logger.LogInformation("Data Protection keys are encrypted with the certificate {Thumbprint} (expires {NotAfter:yyyy-MM-dd})",
            settings.Certificate.Thumbprint, settings.Certificate.NotAfter);
        try
        {
            var encrypted = await new PostgresXmlRepository(db).EncryptStoredKeysAsync(new CertificateXmlEncryptor(settings.Certificate, loggers), ct);
            if (encrypted > 0)
                logger.LogWarning("Encrypted {Count} Data Protection key(s) that were stored in clear before DATA_PROTECTION_CERT_FILE was set. "
                    + "Older database backups still hold them in clear", encrypted);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Could not check the stored Data Protection keys: {Error}", e.Message);
        }
    }
}
