using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MediConnect.Portal.Data;
using MediConnect.Portal.Features.Shared.Notifications.Delivery;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Shared.Notifications.Preferences;

/// <summary>One kind of notice and whether it goes out by email and by SMS.</summary>
public sealed record ChannelChoice(string Kind, string Label, bool Email, bool Sms);

/// <summary>A contact of one channel: the address, whether it is verified, whether a code for it is waiting.</summary>
public sealed record ContactStatus(string Channel, string? Address, bool Verified, bool CodeWaiting);

/// <summary>The signed-in user's notification settings as the page shows them.</summary>
/// <param name="EmailOn">Whether the clinic sends email at all (a configured sender); likewise <paramref name="SmsOn"/>.</param>
public sealed record NotificationSetup(
    IReadOnlyList<ChannelChoice> Choices, TimeOnly? QuietFrom, TimeOnly? QuietUntil,
    ContactStatus Email, ContactStatus Phone, string SignInEmail, bool EmailOn, bool SmsOn, string ClinicTimeZone);

/// <summary>What the page saves: the channels per kind and the quiet hours (both or neither).</summary>
public sealed record NotificationChoices(IReadOnlyList<ChannelChoice> Choices, TimeOnly? QuietFrom, TimeOnly? QuietUntil);

/// <summary>The answer to a typed code, written for the user.</summary>
public sealed record VerificationResult(bool Verified, string Message);

/// <summary>
/// Where and when the signed-in user is reached outside the portal: channels per kind of notice,
/// quiet hours and the contacts (an email address, a phone number) that are used only once the
/// user typed the code sent to them. Every method works on the signed-in user's own rows only
/// (the id comes from the sign-in, never from the page), and every change is audited.
/// </summary>
public sealed partial class NotificationPreferences(
    NpgsqlDataSource db, ICurrentUser currentUser, AuditLog audit, IEnumerable<INoticeSender> senders, SmsSettings sms, TimeProvider clock)
{
    public const int CodeAttempts = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    /// <summary>A new code for the same contact no sooner than this after the last one (each SMS costs the clinic).</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(30);

    sealed record PreferenceRow(string Kind, string Channel, bool Enabled);
    sealed record SettingsRow(TimeOnly? QuietFrom, TimeOnly? QuietUntil);
    sealed record ContactRow(string Channel, string Address, DateTime? VerifiedAt, string? CodeHash, DateTime? CodeExpiresAt, int CodeAttempts);

    const string PreferencesSql = "SELECT kind, channel, enabled FROM notification_preferences WHERE user_id = @userId";
    const string SettingsSql = "SELECT quiet_from, quiet_until FROM notification_settings WHERE user_id = @userId";
    const string ContactsSql = """
        SELECT channel, address, verified_at, code_hash, code_expires_at, code_attempts
        FROM notification_contacts WHERE user_id = @userId
        """;

    public async Task<NotificationSetup> MineAsync()
    {
        var user = await currentUser.RequireAsync();
        var preferences = await db.QueryListAsync<PreferenceRow>(PreferencesSql, new { userId = user.Id });
        var settings = await db.QueryOneAsync<SettingsRow>(SettingsSql, new { userId = user.Id });
        var contacts = await db.QueryListAsync<ContactRow>(ContactsSql, new { userId = user.Id });
        var now = clock.GetUtcNow();
        ContactStatus Contact(string channel) => contacts.FirstOrDefault(c => c.Channel == channel) is { } row
            ? new ContactStatus(channel, row.Address, row.VerifiedAt is not null, CodeWaiting(row, now))
            : new ContactStatus(channel, null, false, false);
        return new NotificationSetup(
            Choices(user.Role, preferences),
            settings?.QuietFrom, settings?.QuietUntil,
            Contact("email"), Contact("sms"), user.Email,
            senders.IsOn("email"), senders.IsOn("sms"), clock.LocalTimeZone.DisplayName);
    }

    /// <summary>Each kind of the role with its stored choice, or the default: email on, SMS off.</summary>
    static List<ChannelChoice> Choices(string role, IReadOnlyList<PreferenceRow> rows) =>
        [.. NoticeKinds.For(role).Select(k => new ChannelChoice(k.Kind, k.Label,
            rows.FirstOrDefault(r => r.Kind == k.Kind && r.Channel == "email")?.Enabled ?? true,
            rows.FirstOrDefault(r => r.Kind == k.Kind && r.Channel == "sms")?.Enabled ?? false))];

    static bool CodeWaiting(ContactRow row, DateTimeOffset now) =>
        row.CodeHash is not null && row.CodeExpiresAt > now.UtcDateTime && row.CodeAttempts < CodeAttempts;

    const string UpsertPreferenceSql = """
        INSERT INTO notification_preferences (user_id, kind, channel, enabled)
        VALUES (@userId, @kind, @channel, @enabled)
        ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()
        WHERE notification_preferences.enabled <> EXCLUDED.enabled
        """;

    const string UpsertSettingsSql = """
        INSERT INTO notification_settings (user_id, quiet_from, quiet_until)
        VALUES (@userId, CAST(@quietFrom AS time), CAST(@quietUntil AS time))
        ON CONFLICT (user_id) DO UPDATE SET quiet_from = EXCLUDED.quiet_from, quiet_until = EXCLUDED.quiet_until, updated_at = now()
        """;

    const string VerifiedPhoneSql = """
        SELECT EXISTS (SELECT 1 FROM notification_contacts WHERE user_id = @userId AND channel = 'sms' AND verified_at IS NOT NULL)
        """;

    /// <summary>Saves the channels of the role's kinds and the quiet hours, in one transaction with its audit row.</summary>
    /// <exception cref="FieldValidationException">Quiet hours with one end only or both the same, or SMS on without a verified phone.</exception>
    public async Task<NotificationSetup> SaveAsync(NotificationChoices choices)
    {
        var user = await currentUser.RequireAsync();
        var kinds = NoticeKinds.For(user.Role);
        var wanted = kinds.Select(k => choices.Choices.FirstOrDefault(c => c.Kind == k.Kind) ?? new ChannelChoice(k.Kind, k.Label, true, false)).ToList();
        var errors = new Dictionary<string, string>();
        if ((choices.QuietFrom is null) != (choices.QuietUntil is null))
            errors["QuietHours"] = "Give both ends of the quiet hours, or neither.";
        else if (choices.QuietFrom is not null && choices.QuietFrom == choices.QuietUntil)
            errors["QuietHours"] = "Quiet hours start and end at different times (e.g. 21:00 to 08:00).";

        await db.InTransactionAsync(async tx =>
        {
            if (wanted.Any(c => c.Sms) && !await tx.QueryOneAsync<bool>(VerifiedPhoneSql, new { userId = user.Id }))
                errors["Sms"] = "Add and verify a phone number before turning text messages on.";
            if (errors.Count > 0)
                throw new FieldValidationException(errors);

            var before = Choices(user.Role, await tx.QueryListAsync<PreferenceRow>(PreferencesSql, new { userId = user.Id }));
            var quietBefore = await tx.QueryOneAsync<SettingsRow>(SettingsSql, new { userId = user.Id });
            foreach (var choice in wanted)
            {
                await tx.ExecuteAsync(UpsertPreferenceSql, new { userId = user.Id, kind = choice.Kind, channel = "email", enabled = choice.Email });
                await tx.ExecuteAsync(UpsertPreferenceSql, new { userId = user.Id, kind = choice.Kind, channel = "sms", enabled = choice.Sms });
            }
            await tx.ExecuteAsync(UpsertSettingsSql, new { userId = user.Id, quietFrom = choices.QuietFrom?.ToTimeSpan(), quietUntil = choices.QuietUntil?.ToTimeSpan() });
            await audit.WriteAsync(tx, "notification_preferences_update", "users", user.Id,
                new { channels = Summary(before), quietHours = QuietHours(quietBefore?.QuietFrom, quietBefore?.QuietUntil) },
                new { channels = Summary(wanted), quietHours = QuietHours(choices.QuietFrom, choices.QuietUntil) });
        });
        return await MineAsync();
    }

    static Dictionary<string, string> Summary(IEnumerable<ChannelChoice> choices) =>
        choices.ToDictionary(c => c.Kind, c => string.Join("+", new[] { c.Email ? "email" : null, c.Sms ? "sms" : null }.OfType<string>().DefaultIfEmpty("none")));

    static string? QuietHours(TimeOnly? from, TimeOnly? until) =>
        from is { } start && until is { } end ? $"{start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{end.ToString("HH:mm", CultureInfo.InvariantCulture)}" : null;

    const string LockContactSql = """
        SELECT channel, address, verified_at, code_hash, code_expires_at, code_attempts
        FROM notification_contacts WHERE user_id = @userId AND channel = @channel
        FOR UPDATE
        """;

    const string UpsertContactCodeSql = """
        INSERT INTO notification_contacts (user_id, channel, address, verified_at, code_hash, code_expires_at, code_attempts)
        VALUES (@userId, @channel, @address, NULL, @codeHash, @expiresAt, 0)
        ON CONFLICT (user_id, channel) DO UPDATE SET
            address = EXCLUDED.address, verified_at = NULL, code_hash = EXCLUDED.code_hash,
            code_expires_at = EXCLUDED.code_expires_at, code_attempts = 0, updated_at = now()
        """;

    /// <summary>The code's notice, queued in the outbox for the channel's sender; it says nothing but the code.</summary>
    const string QueueCodeSql = """
        INSERT INTO notifications (user_id, type, kind, recipient, title, message, status, send_after)
        VALUES (@userId, @channel, 'contact_verification', @address, @title, @message, 'pending', @now)
        RETURNING id
        """;

    /// <summary>
    /// Makes <paramref name="address"/> the user's contact of <paramref name="channel"/> (email or sms),
    /// unverified, and sends it a new six-digit code: only the code's hash is kept, valid for
    /// <see cref="CodeLifetime"/> and <see cref="CodeAttempts"/> tries, and its notice is queued in the
    /// same transaction, for the outbox workers to deliver.
    /// </summary>
    /// <exception cref="FieldValidationException">Not an email address or phone number (key <c>Address</c>).</exception>
    /// <exception cref="BusinessRuleException">The clinic has not set the channel up, the address is verified already, or a code went out a moment ago.</exception>
    public async Task SendCodeAsync(string channel, string? address)
    {
        var user = await currentUser.RequireAsync();
        if (channel is not ("email" or "sms"))
            throw new BusinessRuleException("Notices go by email or by SMS.");
        if (!senders.IsOn(channel))
            throw new BusinessRuleException(channel == "sms"
                ? "Text messages are not set up at this clinic yet, so a phone number cannot be verified. Ask the clinic's administrator."
                : "Email is not set up at this clinic yet, so an email address cannot be verified. Ask the clinic's administrator.");

        var normalized = Normalize(channel, address);
        var now = clock.GetUtcNow();
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await db.InTransactionAsync(async tx =>
        {
            var current = await tx.QueryOneAsync<ContactRow>(LockContactSql, new { userId = user.Id, channel });
            if (current is { VerifiedAt: not null } && current.Address == normalized)
                throw new BusinessRuleException($"{Display(channel, normalized)} is verified already.");
            if (current is { CodeExpiresAt: { } expires } && current.Address == normalized && expires - CodeLifetime > now.UtcDateTime - ResendAfter)
                throw new BusinessRuleException($"A code went to {Display(channel, normalized)} a moment ago. Wait {ResendAfter.TotalSeconds:0} seconds before asking for another.");

            await tx.ExecuteAsync(UpsertContactCodeSql, new
            {
                userId = user.Id, channel, address = normalized, codeHash = Hash(user.Id, channel, normalized, code), expiresAt = now + CodeLifetime,
            });
            var noticeId = await tx.InsertReturningAsync<int>(QueueCodeSql, new
            {
                userId = user.Id, channel, address = normalized, now,
                title = "Your MediConnect verification code",
                message = $"MediConnect: your verification code is {code}. It expires in {CodeLifetime.TotalMinutes:0} minutes. If you did not ask for it, ignore this message.",
            });
            await audit.WriteAsync(tx, "notification_contact_code_sent", "notification_contacts", user.Id, null,
                new { channel, address = Recipients.Mask(channel, normalized), notificationId = noticeId });
        });
    }

    const string VerifiedSql = """
        UPDATE notification_contacts
        SET verified_at = @now, code_hash = NULL, code_expires_at = NULL, code_attempts = 0, updated_at = now()
        WHERE user_id = @userId AND channel = @channel
        """;

    const string WrongCodeSql = """
        UPDATE notification_contacts SET code_attempts = code_attempts + 1, updated_at = now()
        WHERE user_id = @userId AND channel = @channel
        RETURNING code_attempts
        """;

    /// <summary>
    /// Checks a typed code against the waiting one of <paramref name="channel"/>. A wrong code counts
    /// one of <see cref="CodeAttempts"/> tries (and is audited); after the last, or once the code
    /// expired, only a new code helps.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(string channel, string? code)
    {
        var user = await currentUser.RequireAsync();
        var typed = new string([.. (code ?? "").Where(c => !char.IsWhiteSpace(c))]);
        if (!SixDigits().IsMatch(typed))
            return new VerificationResult(false, "The code has six digits.");

        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(async tx =>
        {
            var contact = await tx.QueryOneAsync<ContactRow>(LockContactSql, new { userId = user.Id, channel });
            if (contact is null || contact.CodeHash is null || contact.CodeExpiresAt is null)
                return new VerificationResult(false, "No code is waiting. Ask for a new code.");
            if (contact.CodeAttempts >= CodeAttempts)
                return new VerificationResult(false, "Too many wrong codes. Ask for a new code.");
            if (contact.CodeExpiresAt <= now.UtcDateTime)
                return new VerificationResult(false, "This code has expired. Ask for a new code.");

            var entity = new { channel, address = Recipients.Mask(channel, contact.Address) };
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(user.Id, channel, contact.Address, typed)), Encoding.ASCII.GetBytes(contact.CodeHash)))
            {
                var attempts = await tx.InsertReturningAsync<int>(WrongCodeSql, new { userId = user.Id, channel });
                await audit.WriteAsync(tx, "notification_contact_code_wrong", "notification_contacts", user.Id, null, new { entity.channel, entity.address, attempts });
                var left = CodeAttempts - attempts;
                return new VerificationResult(false, left > 0
                    ? $"That code is not right. {left} {(left == 1 ? "try" : "tries")} left."
                    : "That code is not right, and that was the last try. Ask for a new code.");
            }
            await tx.ExecuteAsync(VerifiedSql, new { userId = user.Id, channel, now });
            await audit.WriteAsync(tx, "notification_contact_verified", "notification_contacts", user.Id, null, entity);
            return new VerificationResult(true, $"{Display(channel, contact.Address)} is verified.");
        });
    }

    /// <summary>The address in the form it is stored: a lower-case email address or an E.164 phone number.</summary>
    string Normalize(string channel, string? address)
    {
        if (channel == "sms")
            return PhoneNumbers.Normalize(address, sms.DefaultCountryCode, out var error)
                ?? throw new FieldValidationException(new Dictionary<string, string> { ["Address"] = error });
        var email = (address ?? "").Trim().ToLowerInvariant();
        return EmailShape().IsMatch(email)
            ? email
            : throw new FieldValidationException(new Dictionary<string, string> { ["Address"] = "Enter an email address such as name@example.com." });
    }

    /// <summary>
    /// SHA-256 of the code bound to its user, channel and address: a code sent to one address
    /// verifies no other. The code lives 10 minutes and allows 5 tries, so the hash's small input
    /// space gives nothing that outlives the code.
    /// </summary>
    static string Hash(int userId, string channel, string address, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}|{channel}|{address}|{code}")));

    static string Display(string channel, string address) => channel == "sms" ? $"The number {address}" : address;

    [GeneratedRegex(@"^[0-9]{6}$")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();
}
