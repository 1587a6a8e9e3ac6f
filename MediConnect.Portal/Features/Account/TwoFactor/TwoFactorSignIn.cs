using System.Globalization;
using MediConnect.Portal.Security;

namespace MediConnect.Portal.Features.Account.TwoFactor;

/// <summary>A confirmed set-up at sign-in: the sign-in's outcome and the recovery codes to show once.</summary>
public sealed record EnrolmentResult(SignInResult SignIn, IReadOnlyList<string> RecoveryCodes);

/// <summary>
/// The second step of a sign-in, after the right password (<see cref="SignInService"/>): the code
/// of an enrolled user (an authenticator code, accepted once within one step of clock drift, or a
/// recovery code, accepted once), or the set-up of an authenticator for a user whose role needs
/// one. Every wrong code counts towards the lockout, through <see cref="CountWrongCodeAsync"/> only.
/// </summary>
public sealed class TwoFactorSignIn(SignInService signIn, TwoFactorStore store, ILogger<TwoFactorSignIn> logger)
{
    static readonly SignInResult EnterCode = new(SignInOutcome.InvalidCredentials, Message: "Enter the code from your authenticator app, or a recovery code.");

    static readonly SignInResult Replayed = new(SignInOutcome.InvalidCredentials,
        Message: "That code was already used. Wait for the next code in your authenticator app and enter it.");

    static readonly SignInResult Unreadable = new(SignInOutcome.InvalidCredentials,
        Message: "Your authenticator cannot be checked at the moment. Sign in with a recovery code, or ask an administrator to reset your two-factor sign-in.");

    static readonly SignInResult WrongSetupCode = new(SignInOutcome.EnrolmentRequired,
        Message: "That code is not correct. Check that the app shows MediConnect Portal, then enter its current six-digit code.");

    /// <summary>Checks the code of a sign-in waiting for it and, when it is right, signs the user in.</summary>
    public async Task<SignInResult> VerifyAsync(int userId, string? code, ClientInfo client, CancellationToken ct = default)
    {
        var state = await signIn.SecondStepAsync(userId, client, ct);
        if (state.Outcome != SignInOutcome.SecondFactorRequired)
            return state;
        if (string.IsNullOrWhiteSpace(code))
            return EnterCode;

        if (Authenticator.IsCodeShaped(code))
        {
            switch (await store.AcceptCodeAsync(userId, code, ct))
            {
                case CodeCheck.Accepted:
                    return await signIn.CompleteSecondStepAsync(userId, "totp", client, ct);
                case CodeCheck.Unreadable:
                    return Unreadable;
                case CodeCheck.Replayed:
                    var counted = await CountWrongCodeAsync(userId, client, "replayed", ct);
                    return counted.Outcome == SignInOutcome.LockedOut ? counted : Replayed;
                default:
                    return await CountWrongCodeAsync(userId, client, "wrong authenticator code", ct);
            }
        }

        var used = await store.UseRecoveryCodeAsync(userId, code, Audit(userId, "recovery_code_used", client), ct);
        return used
            ? await signIn.CompleteSecondStepAsync(userId, "recovery_code", client, ct)
            : await CountWrongCodeAsync(userId, client, "wrong recovery code", ct);
    }

    /// <summary>The authenticator set-up of a sign-in that needs one; null with the refusal when the sign-in cannot go on.</summary>
    public async Task<(AuthenticatorSetup? Setup, SignInResult State)> BeginEnrolmentAsync(int userId, ClientInfo client, CancellationToken ct = default)
    {
        var state = await signIn.SecondStepAsync(userId, client, ct);
        if (state.Outcome != SignInOutcome.EnrolmentRequired)
            return (null, state);
        return (await store.BeginSetupAsync(userId, state.User!.Email, ct), state);
    }

    /// <summary>
    /// Confirms the set-up with the app's first code and signs the user in. A wrong code here is a
    /// typing slip on a new authenticator, not a guess at an existing one: it does not count towards the lockout.
    /// </summary>
    public async Task<EnrolmentResult> ConfirmEnrolmentAsync(int userId, string? code, ClientInfo client, CancellationToken ct = default)
    {
        var state = await signIn.SecondStepAsync(userId, client, ct);
        if (state.Outcome != SignInOutcome.EnrolmentRequired)
            return new EnrolmentResult(state, []);
        var codes = await store.ConfirmSetupAsync(userId, code, Audit(userId, "two_factor_enrolled", client), ct);
        if (codes is null)
            return new EnrolmentResult(WrongSetupCode, []);
        logger.LogInformation("User {UserId} set up an authenticator at sign-in", userId);
        return new EnrolmentResult(await signIn.CompleteSecondStepAsync(userId, "totp", client, ct), codes);
    }

    // The one place a wrong second-step code reaches the lockout.
    async Task<SignInResult> CountWrongCodeAsync(int userId, ClientInfo client, string what, CancellationToken ct)
    {
        logger.LogWarning("Second sign-in step failed for user {UserId}: {What}", userId, what);
        return await signIn.WrongCodeAsync(userId, client, ct);
    }

    static AuditEntry Audit(int userId, string action, ClientInfo client) =>
        new(userId, action, "user", userId.ToString(CultureInfo.InvariantCulture), null, null, client.IpAddress, client.UserAgent);
}
