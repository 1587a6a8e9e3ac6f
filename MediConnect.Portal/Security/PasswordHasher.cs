namespace MediConnect.Portal.Security;

/// <summary>
/// BCrypt hashing for <c>users.password</c> (BCrypt.Net-Next). New hashes use the configured
/// work factor (12 by default); a valid hash with a lower factor still verifies and
/// <see cref="NeedsUpgrade"/> says to re-hash it.
/// </summary>
public sealed class PasswordHasher(int workFactor = PasswordHasher.DefaultWorkFactor)
{
    public const int DefaultWorkFactor = 12;

    // Verified when the email is unknown, so an unknown email costs as much time as a wrong password.
    readonly Lazy<string> _dummyHash = new(() => BCrypt.Net.BCrypt.HashPassword("no-such-user-" + Guid.NewGuid(), workFactor));

    public int WorkFactor => workFactor;

    public string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, workFactor);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    /// <summary>Spends the time of one verification without a user to verify against.</summary>
    public void VerifyDummy(string password) => Verify(password, _dummyHash.Value);

    /// <summary>True when <paramref name="hash"/> was made with a lower work factor than the current one.</summary>
    public bool NeedsUpgrade(string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.PasswordNeedsRehash(hash, workFactor);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
