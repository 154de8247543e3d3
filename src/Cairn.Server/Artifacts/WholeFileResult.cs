using Microsoft.Net.Http.Headers;

namespace Cairn.Server.Artifacts;

/// <summary>
/// A whole local file as the response, read straight into Kestrel's send buffers (<see cref="FileToPipe"/>), with
/// the headers <c>Results.File</c> gives. Requests with Range or conditional headers go to <c>Results.File</c>,
/// which answers those.
/// </summary>
public sealed class WholeFileResult(FileStream file, string contentType, string downloadName, DateTimeOffset lastModified) : IResult
{
    /// <summary>Whether <paramref name="request"/> asks only for the whole body, unconditionally.</summary>
    public static bool Serves(HttpRequest request)
    {
        var headers = request.Headers;
        return headers.Range.Count == 0 && headers.IfRange.Count == 0 && headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0
            && headers.IfModifiedSince.Count == 0 && headers.IfUnmodifiedSince.Count == 0;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (file)
        {
            var response = httpContext.Response;
            var length = file.Length;
            response.ContentType = contentType;
            response.ContentLength = length;
            response.Headers.AcceptRanges = "bytes";
            response.Headers.LastModified = HeaderUtilities.FormatDate(lastModified);
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(downloadName);
            response.Headers.ContentDisposition = disposition.ToString();
            await FileToPipe.CopyAsync(file.SafeFileHandle, 0, length, response.BodyWriter, httpContext.RequestAborted);
        }
    }
}
