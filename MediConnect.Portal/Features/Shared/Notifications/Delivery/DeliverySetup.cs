namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Email and SMS notices: the settings, the queue, each channel's <see cref="INoticeSender"/> (the outbox
/// workers send every due row through the one whose channel matches it), the outbox worker, unsubscribe.
/// </summary>
public static class DeliverySetup
{
    /// <exception cref="Data.PortalConfigurationException">A notice or SMTP setting is missing or malformed.</exception>
    public static IServiceCollection AddNoticeDelivery(this IServiceCollection services, IConfiguration config)
    {
        var notices = NoticeSettings.From(config, TimeZoneInfo.Local);
        var smtp = SmtpSettings.From(config, notices);
        services.AddSingleton(notices);
        services.AddSingleton<NoticeTexts>();
        services.AddSingleton<UnsubscribeTokens>();
        if (smtp is not null)
            services.AddSingleton(smtp).AddSingleton<EmailComposer>();
        services.AddSingleton<INoticeSender>(s => new EmailSender(smtp, s.GetRequiredService<EmailComposer>));
        services.AddSingleton<NoticeQueue>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }

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
