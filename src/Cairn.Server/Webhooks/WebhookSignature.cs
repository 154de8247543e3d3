using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cairn.Server.Webhooks;

/// <summary>
/// MLflow 3.x's webhook signature, so receivers written for MLflow verify Cairn's deliveries unchanged:
/// <c>X-MLflow-Signature: v1,&lt;base64 HMAC-SHA256(secret, "{delivery id}.{unix seconds}.{body}")&gt;</c>, with the
/// delivery id and the timestamp in their own headers. The timestamp is signed so a receiver can refuse replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-MLflow-Signature";
    public const string TimestampHeader = "X-MLflow-Timestamp";
    public const string DeliveryIdHeader = "X-MLflow-Delivery-Id";
    public const string Version = "v1";

    public static string Sign(string secret, string deliveryId, long unixSeconds, string payload)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{deliveryId}.{unixSeconds}.{payload}"));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"{Version},{Convert.ToBase64String(mac)}";
    }

    /// <summary>256 random bits, base64url: for webhooks created without a secret.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
