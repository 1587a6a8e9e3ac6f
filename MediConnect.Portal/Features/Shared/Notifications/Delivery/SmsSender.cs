using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MediConnect.Portal.Features.Shared.Notifications.Delivery;

/// <summary>
/// Sends SMS notices through an HTTP gateway in the shape of Twilio's Messages API:
/// <c>POST {SMS_GATEWAY_URL}/2010-04-01/Accounts/{SMS_ACCOUNT_SID}/Messages.json</c>, form-encoded
/// <c>To</c>, <c>From</c>, <c>Body</c>, HTTP Basic with the account and <c>SMS_AUTH_TOKEN</c>.
/// A 2xx is sent; 408, 429, a 5xx, no answer within <see cref="SmsSettings.AnswerWithin"/> or no
/// connection is temporary (try again later); any other 4xx (an invalid number, a refused
/// account) is permanent, with the gateway's own message. The token never reaches a log line or
/// an answer; the phone number never reaches a log line.
/// </summary>
public sealed class SmsSender(SmsSettings settings, HttpClient http, ILogger<SmsSender> logger) : INoticeSender
{
    public string Channel => "sms";

    public bool IsConfigured => settings.IsConfigured;

    public async Task<DeliveryResult> SendAsync(OutgoingNotice notice, CancellationToken ct)
    {
        if (!settings.IsConfigured)
            return new DeliveryResult(DeliveryOutcome.TryAgainLater, "SMS is not configured (SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_FROM).");
        if (PhoneNumbers.Normalize(notice.Recipient, null, out var error) is not { } to)
            return new DeliveryResult(DeliveryOutcome.Failed, $"Not a phone number in E.164 form: {error}");

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(settings))
        {
            Content = new FormUrlEncodedContent([new("To", to), new("From", settings.Sender!), new("Body", notice.Message)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(SmsSettings.AnswerWithin);
        try
        {
            using var response = await http.SendAsync(request, bounded.Token);
            var body = await response.Content.ReadAsStringAsync(bounded.Token);
            var result = Classify(response.StatusCode, body);
            logger.LogInformation("SMS notice {NoticeId}: the gateway answered {Status} ({Outcome})", notice.Id, (int)response.StatusCode, result.Outcome);
            return result;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("SMS notice {NoticeId}: the gateway gave no answer within {Seconds} s", notice.Id, SmsSettings.AnswerWithin.TotalSeconds);
            return new DeliveryResult(DeliveryOutcome.TryAgainLater, $"The SMS gateway gave no answer within {SmsSettings.AnswerWithin.TotalSeconds} s.");
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("SMS notice {NoticeId}: could not reach the gateway: {Error}", notice.Id, e.Message);
            return new DeliveryResult(DeliveryOutcome.TryAgainLater, $"Could not reach the SMS gateway: {e.Message}");
        }
    }

    /// <summary>Twilio's Messages resource under the gateway's address (a path in it is kept: a proxy or another provider's compatible API).</summary>
    public static Uri MessagesUrl(SmsSettings settings) =>
        new($"{settings.GatewayUrl.AbsoluteUri.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(settings.AccountSid ?? "")}/Messages.json");

    static DeliveryResult Classify(HttpStatusCode status, string body)
    {
        var code = (int)status;
        var answer = $"{code} {Answer(body)}".Trim();
        return code switch
        {
            >= 200 and < 300 => new DeliveryResult(DeliveryOutcome.Sent, answer),
            408 or 429 or >= 500 => new DeliveryResult(DeliveryOutcome.TryAgainLater, answer),
            _ => new DeliveryResult(DeliveryOutcome.Failed, answer),
        };
    }

    /// <summary>What the gateway said: Twilio's <c>sid</c> of an accepted message, or its error <c>code</c> and <c>message</c>; else the start of the body.</summary>
    static string Answer(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return root.TryGetProperty("code", out var error) && error.ValueKind == JsonValueKind.Number
                        ? $"(error {error.GetRawText()}) {message.GetString()}"
                        : message.GetString() ?? "";
                if (root.TryGetProperty("sid", out var sid) && sid.ValueKind == JsonValueKind.String)
                    return $"message {sid.GetString()}";
            }
        }
        catch (JsonException)
        {
        }
        var text = body.Trim();
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
