namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>The channels' senders, each an <see cref="INoticeSender"/>: the outbox workers send every due row through the one whose channel matches it.</summary>
public static class DeliverySetup
{
    /// <exception cref="Data.PortalConfigurationException">An SMS setting is malformed.</exception>
    public static IServiceCollection AddSmsSender(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(SmsSettings.From(config));
        services.AddSingleton(services => new SmsSender(
            services.GetRequiredService<SmsSettings>(),
            // Its own client, timed by the sender; connections renewed so a gateway's DNS change is followed.
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            services.GetRequiredService<ILogger<SmsSender>>()));
        services.AddSingleton<INoticeSender>(services => services.GetRequiredService<SmsSender>());
        return services;
    }

    /// <summary>Whether a registered sender of <paramref name="channel"/> has its settings (a channel without a sender is off).</summary>
    public static bool IsOn(this IEnumerable<INoticeSender> senders, string channel) =>
        senders.Any(sender => sender.Channel == channel && sender.IsConfigured);
}
