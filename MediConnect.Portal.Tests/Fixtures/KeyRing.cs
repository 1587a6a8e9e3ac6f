using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediConnect.Portal.Features.Account;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace MediConnect.Portal.Tests.Fixtures;

/// <summary>
/// The portal's Data Protection set-up over a test database (keys in <c>data_protection_keys</c>,
/// optionally encrypted with a certificate), and self-signed certificates to encrypt them with.
/// </summary>
public static class KeyRing
{
    /// <summary>A Data Protection provider as the portal builds it, over <paramref name="database"/>'s key table.</summary>
    public static ServiceProvider Over(TestDatabase database, X509Certificate2? certificate = null, X509Certificate2? previous = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        new KeyProtectionSettings(certificate, previous).Apply(services.AddDataProtection().SetApplicationName("MediConnect.Portal"));
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(database.DataSource));
        return services.BuildServiceProvider();
    }

    /// <summary>A new self-signed RSA certificate with its private key, as an operator would make with openssl.</summary>
    public static X509Certificate2 NewCertificate(string name = "MediConnect key protection")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, "pw"), "pw");
    }

    /// <summary>Writes <paramref name="certificate"/> as a password-protected PKCS#12 file in a temporary folder; returns its path.</summary>
    public static string WritePfx(X509Certificate2 certificate, string password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mediconnect-key-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
