using MediConnect.Portal.Features.Shared.Notifications.Delivery;

namespace MediConnect.Portal.Tests.Features.Shared.Notifications.Delivery;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("+1 (555) 010-2030", "1", "+15550102030")]
    [InlineData("+1 (555) 010-2030", null, "+15550102030")]
    [InlineData("555-010-2030", "1", "+15550102030")]
    [InlineData("1 555 010 2030", "1", "+15550102030")]
    [InlineData("(555) 010.2030", "1", "+15550102030")]
    [InlineData("0044 20 7946 0958", "1", "+442079460958")]
    [InlineData("020 7946 0958", "44", "+442079460958")]
    [InlineData("  +44 20 7946 0958 ", null, "+442079460958")]
    public void TypedNumbersBecomeE164(string typed, string? defaultCountryCode, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Normalize(typed, defaultCountryCode, out var error));
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("call me maybe", "1", "A phone number has digits only")]
    [InlineData("555-0102-ext. 7", "1", "A phone number has digits only")]
    [InlineData("", "1", "Enter a phone number")]
    [InlineData("555-010-2030", null, "Start the number with + and its country code")]
    [InlineData("555-0102", "1", "A US or Canadian number has 10 digits")]
    [InlineData("+12", null, "7 to 15 digits")]
    [InlineData("+1234567890123456", null, "7 to 15 digits")]
    [InlineData("+0 555 010 2030", null, "never starts with 0")]
    [InlineData("555+0102030", "1", "Only the start of a phone number may be a +")]
    public void JunkIsRefusedWithAMessageSayingWhy(string typed, string? defaultCountryCode, string message)
    {
        Assert.Null(PhoneNumbers.Normalize(typed, defaultCountryCode, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void RecipientsAreMaskedForLists()
    {
        Assert.Equal("+1******2030", Recipients.Mask("sms", "+15550102030"));
        Assert.Equal("j***@example.com", Recipients.Mask("email", "john.doe@example.com"));
    }
}
