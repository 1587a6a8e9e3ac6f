using MediConnect.Portal.Features.Account.TwoFactor;

namespace MediConnect.Portal.Tests.Features.Account.TwoFactor;

public sealed class AuthenticatorTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 4, 10, 15, 7, TimeSpan.Zero);

    [Fact]
    public void ACodeIsAcceptedWithinOneStepOfClockDriftEitherWayAndNotTwo()
    {
        var secret = Authenticator.NewSecret();
        long? StepOf(TimeSpan phoneOffset) => Authenticator.MatchingStep(secret, Authenticator.CodeAt(secret, Now + phoneOffset), Now);

        var current = StepOf(TimeSpan.Zero);

        Assert.NotNull(current);
        Assert.Equal(current - 1, StepOf(TimeSpan.FromSeconds(-30)));
        Assert.Equal(current + 1, StepOf(TimeSpan.FromSeconds(30)));
        Assert.Null(StepOf(TimeSpan.FromSeconds(-61)));
        Assert.Null(StepOf(TimeSpan.FromSeconds(61)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData(null)]
    public void OnlySixDigitsCountAsACode(string? input)
    {
        Assert.False(Authenticator.IsCodeShaped(input));
        Assert.Null(Authenticator.MatchingStep(Authenticator.NewSecret(), input, Now));
    }

    [Fact]
    public void TheAppCodeMayBeTypedWithASpaceInTheMiddle()
    {
        var secret = Authenticator.NewSecret();
        var code = Authenticator.CodeAt(secret, Now);

        Assert.NotNull(Authenticator.MatchingStep(secret, $"{code[..3]} {code[3..]}", Now));
    }

    [Fact]
    public void TheSetupUriNamesThePortalAndTheUserAndCarriesTheSecret()
    {
        var secret = Authenticator.NewSecret();

        var uri = Authenticator.SetupUri(secret, "dr.smith@mediconnect.demo");

        Assert.StartsWith("otpauth://totp/", uri);
        Assert.Contains($"secret={secret}", uri);
        Assert.Contains("issuer=MediConnect", uri);
        Assert.Contains("dr.smith", uri);
        Assert.StartsWith("data:image/png;base64,", Authenticator.QrCodeDataUri(uri));
        Assert.Equal(32, secret.Length); // 160 bits in Base32
    }

    [Fact]
    public void RecoveryCodesAreTenDistinctCodesWhoseDigestIgnoresCaseSpacesAndDashesButNotTheUser()
    {
        var codes = RecoveryCodes.Generate();

        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", c));
        var code = codes[0];
        Assert.Equal(RecoveryCodes.Digest(7, code), RecoveryCodes.Digest(7, $" {code.ToUpperInvariant().Replace("-", " ")} "));
        Assert.NotEqual(RecoveryCodes.Digest(7, code), RecoveryCodes.Digest(8, code));
        Assert.Matches("^[0-9a-f]{64}$", RecoveryCodes.Digest(7, code));
    }
}
