using Cairn.Server.Mlflow;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Cairn.Server.Hosting;

/// <summary>
/// Refuses API writes a web page could forge. A browser sends a cross-site form (<c>application/x-www-form-urlencoded</c>,
/// <c>multipart/form-data</c>, <c>text/plain</c>) or a body-less POST without asking the server first, so every write
/// under <c>/api</c> and <c>/ajax-api</c> must be a JSON body (<c>application/json</c>, UTF-8), which a browser only sends
/// cross-site after a CORS preflight that Cairn never grants; artifact uploads keep their binary bodies, and come as
/// PUT, which is never sent cross-site unasked. As a second line, a write a browser marks as cross-site
/// (<c>Sec-Fetch-Site</c>, else an <c>Origin</c> that is not this host) is refused whatever its body.
/// </summary>
public static class WriteRequestGuard
{
    public static WebApplication UseWriteRequestGuard(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var refusal = Check(http.Request);
            if (refusal is null)
            {
                await next(http);
                return;
            }

            await refusal.ExecuteAsync(http);
        });
        return app;
    }

    private static IResult? Check(HttpRequest request)
    {
        var path = request.Path;
        if (!IsWrite(request.Method) || !(path.StartsWithSegments("/api") || path.StartsWithSegments("/ajax-api")))
        {
            return null;
        }

        if (CrossOrigin(request) is { } site)
        {
            return MlflowErrors.Error("PERMISSION_DENIED",
                $"A {site} request may not change anything on this server: call the API from a client, not from another web page.",
                StatusCodes.Status403Forbidden);
        }

        var upload = HttpMethods.IsPut(request.Method) && IsArtifactPath(path);
        var hasBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (upload || (!HttpMethods.IsPost(request.Method) && !hasBody))
        {
            return null;
        }

        // MLflow's own server answers 400 to any content type but JSON; Cairn's native API says 415, as HTTP means it.
        var native = path.StartsWithSegments("/api/v1");
        return ContentTypeProblem(request.ContentType) is { } problem
            ? MlflowErrors.Error(ErrorCodes.InvalidParameterValue, problem.Message, native ? problem.Status : StatusCodes.Status400BadRequest)
            : null;
    }

    /// <summary>Why a write's Content-Type is refused (400 when it is missing, 415 when it names another type or charset), or null.</summary>
    public static (string Message, int Status)? ContentTypeProblem(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return ("The Content-Type header is missing: send the request body as JSON, with 'Content-Type: application/json'.", StatusCodes.Status400BadRequest);
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ($"Content-Type '{contentType}' is not accepted: send the request body as JSON, with 'Content-Type: application/json'.", StatusCodes.Status415UnsupportedMediaType);
        }

        var charset = media.Charset.ToString().Trim('"');
        if (charset.Length > 0 && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return ($"Content-Type '{contentType}' names the charset '{charset}': the request body must be UTF-8.", StatusCodes.Status415UnsupportedMediaType);
        }

        return null;
    }

    /// <summary>"cross-site" or "same-site" when a browser says the request came from another origin; null otherwise.</summary>
    private static string? CrossOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is "same-origin" or "none" ? null : fetchSite;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? null
            : "cross-origin";
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static bool IsArtifactPath(PathString path) =>
        path.StartsWithSegments("/api/2.0/mlflow-artifacts/artifacts") || path.StartsWithSegments("/ajax-api/2.0/mlflow-artifacts/artifacts");
}
