using System.Text.Json;

namespace Cairn.Server.Models.Logged;

/// <summary>Logged-model statuses by their proto names, as stored and sent; also the short names MLflow's Python entity uses.</summary>
public static class LoggedModelStatusNames
{
    public static readonly string Pending = Of(LoggedModelStatus.LoggedModelPending);

    public static string Of(LoggedModelStatus status) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(status.ToString());

    /// <summary>The proto name for a filter value: <c>READY</c> and <c>LOGGED_MODEL_READY</c> both mean <c>LOGGED_MODEL_READY</c>.</summary>
    public static string Canonical(string value) => value switch
    {
        "PENDING" => Of(LoggedModelStatus.LoggedModelPending),
        "READY" => Of(LoggedModelStatus.LoggedModelReady),
        "FAILED" or "UPLOAD_FAILED" => Of(LoggedModelStatus.LoggedModelUploadFailed),
        "UNSPECIFIED" => Of(LoggedModelStatus.LoggedModelStatusUnspecified),
        _ => value,
    };
}
