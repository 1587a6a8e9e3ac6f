namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>Email (and, once registered, SMS) notices: the settings, the queue, the sender(s), the outbox worker, unsubscribe.</summary>
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
}
