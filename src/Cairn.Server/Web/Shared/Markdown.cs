using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Components;

namespace Cairn.Server.Web.Shared;

/// <summary>
/// Markdown a user wrote (a run's <c>mlflow.note.content</c>) as HTML: CommonMark with tables and task lists, raw
/// HTML shown as text, headings moved under the page's own, and links or images to anything but http(s), mailto
/// or a relative address dropped, so a note cannot run script in another user's browser.
/// </summary>
public static class Markdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseTaskLists().UseAutoLinks().DisableHtml().Build();

    public static MarkupString ToHtml(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        // The note sits under the page's own h1 and h2s: its headings start at h3.
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(heading.Level + 2, 6);
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "";
            }
        }

        return new MarkupString(document.ToHtml(Pipeline));
    }

    /// <summary>A relative address (no scheme before the first <c>/ ? #</c>), or an http(s) or mailto one.</summary>
    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        var end = url.IndexOfAny(['/', '?', '#']);
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || (end >= 0 && end < colon))
        {
            return true;
        }

        var scheme = url[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }
}
