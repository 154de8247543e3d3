using System.Net;
using Cairn.Server.Mlflow;
using Cairn.Server.Registry;

namespace Cairn.Server.Webhooks;

/// <summary>What a webhook's fields must be; each refusal names the field and the value.</summary>
public static class WebhookRules
{
    public const int MaxNameLength = 256;
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 1024;
    public const int MaxDescriptionLength = 5000;

    public static string Name(string? name)
    {
        var trimmed = Required(name, "name").Trim();
        return trimmed.Length <= MaxNameLength
            ? trimmed
            : throw MlflowException.InvalidParameter($"Invalid value for parameter 'name': it is {trimmed.Length} characters long; the limit is {MaxNameLength}.");
    }

    /// <summary>
    /// An absolute <c>http://</c> or <c>https://</c> URL with a host; an IP address as host must be public unless
    /// <paramref name="allowPrivateNetworks"/> (names are checked when delivering, after DNS).
    /// </summary>
    public static string Url(string? url, bool allowPrivateNetworks)
    {
        var value = Required(url, "url").Trim();
        if (value.Length > MaxUrlLength
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value '{Shorten(value)}' for parameter 'url': a webhook URL must be an absolute http:// or https:// URL of at most {MaxUrlLength} characters.");
        }

        if (!allowPrivateNetworks && IPAddress.TryParse(uri.IdnHost, out var address) && PrivateNetworkGuard.IsPrivate(address))
        {
            throw MlflowException.InvalidParameter($"Invalid value '{Shorten(value)}' for parameter 'url': {PrivateNetworkGuard.Refusal(uri.IdnHost, address)}");
        }

        return value;
    }

    /// <summary>One or more registry actions, each one of <see cref="RegistryActions.All"/>; repeats are dropped.</summary>
    public static List<string> Events(List<string?>? events)
    {
        if (events is null || events.Count == 0)
        {
            throw MlflowException.InvalidParameter(
                $"Missing value for parameter 'events': a webhook subscribes to at least one of {string.Join(", ", RegistryActions.All)}.");
        }

        return [.. events.Select(e => Event(e)).Distinct(StringComparer.Ordinal)];
    }

    public static string Event(string? name, string field = "events") =>
        RegistryActions.All.FirstOrDefault(a => string.Equals(a, name?.Trim(), StringComparison.Ordinal))
        ?? throw MlflowException.InvalidParameter(
            $"Invalid value '{Shorten(name ?? "null")}' for parameter '{field}': not a registry event. Expected one of: {string.Join(", ", RegistryActions.All)}.");

    public static string Secret(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > MaxSecretLength)
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value for parameter 'secret': it must be 1 to {MaxSecretLength} characters, not blank. Leave it out to have one generated.");
        }

        return secret;
    }

    public static string? Description(string? description) =>
        description is null || description.Length <= MaxDescriptionLength
            ? (string.IsNullOrWhiteSpace(description) ? null : description)
            : throw MlflowException.InvalidParameter($"Invalid value for parameter 'description': it is {description.Length} characters long; the limit is {MaxDescriptionLength}.");

    public static string Status(string? status) =>
        WebhookStatus.Canonical(status)
        ?? throw MlflowException.InvalidParameter($"Invalid value '{Shorten(status ?? "null")}' for parameter 'status': expected 'active' or 'disabled'.");

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw MlflowException.MissingParameter(field) : value;

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
