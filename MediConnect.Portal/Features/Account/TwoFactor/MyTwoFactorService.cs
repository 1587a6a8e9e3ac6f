using System.Globalization;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>The account page's view of the signed-in user's second factor.</summary>
public sealed record MyTwoFactor(TwoFactorStatus Status, bool RequiredForMyRole);

/// <summary>
/// The signed-in user manages their own authenticator: set one up, get new recovery codes, or
/// remove it. The last two need a current code (authenticator or recovery code), so an unattended
/// session cannot strip a second factor. Every change is audited.
/// </summary>
public sealed class MyTwoFactorService(TwoFactorStore store, ICurrentUser currentUser, SignInSettings settings, ILogger<MyTwoFactorService> logger)
{
    public async Task<MyTwoFactor> GetAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        return new MyTwoFactor(await store.StatusAsync(user.Id, ct), settings.RequiresTwoFactor(user.Role));
    }

    /// <summary>The set-up to show (started now when none is waiting); null when the user already has an authenticator.</summary>
    public async Task<AuthenticatorSetup?> BeginSetupAsync(CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        return await store.BeginSetupAsync(user.Id, user.Email, ct);
    }

    /// <summary>Confirms the set-up with the app's first code; returns the recovery codes to show once, or null when the code is wrong.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmSetupAsync(string? code, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        var codes = await store.ConfirmSetupAsync(user.Id, code, Audit(user, "two_factor_enrolled"), ct);
        if (codes is not null)
            logger.LogInformation("User {UserId} set up an authenticator", user.Id);
        return codes;
    }

    /// <summary>Ten new recovery codes replace the old ones, once a current code proves the owner; null when the code is wrong.</summary>
    public async Task<IReadOnlyList<string>?> NewRecoveryCodesAsync(string? code, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        if (!await ProveAsync(user, code, ct))
            return null;
        return await store.ReplaceRecoveryCodesAsync(user.Id, Audit(user, "recovery_codes_regenerated"), ct);
    }

    /// <summary>Removes the authenticator once a current code proves the owner; false when the code is wrong.</summary>
    public async Task<bool> RemoveAsync(string? code, CancellationToken ct = default)
    {
        var user = await currentUser.RequireAsync();
        if (!await ProveAsync(user, code, ct))
            return false;
        await store.RemoveAsync(user.Id, Audit(user, "two_factor_removed"), ct);
        logger.LogInformation("User {UserId} removed their authenticator", user.Id);
        return true;
    }

    async Task<bool> ProveAsync(PortalUser user, string? code, CancellationToken ct) =>
        Authenticator.IsCodeShaped(code)
            ? await store.AcceptCodeAsync(user.Id, code, ct) == CodeCheck.Accepted
            : await store.UseRecoveryCodeAsync(user.Id, code, Audit(user, "recovery_code_used"), ct);

    static AuditEntry Audit(PortalUser user, string action) =>
        new(user.Id, action, "user", user.Id.ToString(CultureInfo.InvariantCulture), null, null, user.IpAddress, user.UserAgent);
}
