namespace MediConnect.Portal.Features.Account;

/// <summary>
/// Where a request comes from, for sessions and audit rows: the connection's address (or the
/// forwarded one when a trusted proxy is configured) and a bounded user agent.
/// </summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent)
{
    const int MaxUserAgentLength = 512;

    public static ClientInfo From(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        var address = context.Connection.RemoteIpAddress;
        if (address?.IsIPv4MappedToIPv6 == true)
            address = address.MapToIPv4();
        return new ClientInfo(
            address?.ToString(),
            string.IsNullOrWhiteSpace(agent) ? null : agent[..Math.Min(agent.Length, MaxUserAgentLength)]);
    }
}
