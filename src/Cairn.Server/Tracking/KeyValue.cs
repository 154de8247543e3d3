namespace Cairn.Server.Tracking;

/// <summary>MLflow's repeated key/value messages (params, run tags, experiment tags, input tags).</summary>
public sealed record KeyValue(string? Key, string? Value);

/// <summary>An opaque page token: base64 of the offset, as MLflow's SQL store does.</summary>
public static class PageToken
{
    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(7), out var offset) && offset >= 0)
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw Mlflow.MlflowException.InvalidParameter($"Invalid page token '{token}': it was not issued by this server.");
    }

    public static string? Next(int offset, int pageSize, int returned) =>
        returned < pageSize ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"offset:{offset + returned}"));
}
