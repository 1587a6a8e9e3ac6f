namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>Recipients as lists show them to people who need to tell them apart, not read them.</summary>
public static class Recipients
{
    /// <summary>"j***@example.com" for an email address, "+1******2030" for a phone number.</summary>
    public static string Mask(string channel, string? address)
    {
        if (string.IsNullOrEmpty(address))
            return "—";
        if (channel == "sms")
            return PhoneNumbers.Mask(address);
        var at = address.IndexOf('@');
        return at <= 0 ? "***" : address[0] + "***" + address[at..];
    }
}
