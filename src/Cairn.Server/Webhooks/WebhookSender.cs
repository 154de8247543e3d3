using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>What one attempt came to.</summary>
public sealed record AttemptOutcome(long Time, int DurationMs, int? HttpStatus, string? Error)
{
    public bool Succeeded => HttpStatus is >= 200 and < 300;
}

/// <summary>
/// Makes one attempt at a delivery: a signed POST through the <c>webhooks</c> HTTP client, within the per-attempt
/// timeout. Any 2xx answer is a success; anything else, or no answer in time, is a failed attempt.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, IOptions<WebhookOptions> options, WebhookSecrets secrets, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <summary>Sends; throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var time = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        if (secrets.Reveal(delivery.Secret) is not { } secret)
        {
            return new AttemptOutcome(time.ToUnixTimeMilliseconds(), 0, null,
                "The webhook's secret cannot be decrypted: the Data Protection keys it was stored with are gone. Set a new secret (PATCH the webhook).");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Payload)) { Headers = { ContentType = Json } },
        };
        var unixSeconds = time.ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.DeliveryIdHeader, delivery.Uuid);
        request.Headers.Add(WebhookSignature.TimestampHeader, unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, delivery.Uuid, unixSeconds, delivery.Payload));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        int? status = null;
        string? error;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"The receiver answered {status} {response.ReasonPhrase}.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"No answer within {options.Value.TimeoutSeconds} s.";
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }

        var duration = (int)Math.Min(Stopwatch.GetElapsedTime(started).TotalMilliseconds, int.MaxValue);
        return new AttemptOutcome(time.ToUnixTimeMilliseconds(), duration, status, error);
    }
}
