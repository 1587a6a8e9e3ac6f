using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Session keys: 256 random bits, the only thing the (encrypted) cookie carries. A page never
/// shows a key; it shows its <see cref="Handle"/>, a one-way digest that can name a session
/// without being able to sign in with it.
/// </summary>
public static class SessionKey
{
    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The public name of a session; the same digest PostgreSQL computes with <c>encode(sha256(convert_to(sid, 'UTF8')), 'hex')</c>.</summary>
    public static string Handle(string sid) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sid)));
}
