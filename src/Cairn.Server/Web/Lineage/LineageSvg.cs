using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Cairn.Server.Web.Lineage;

/// <summary>
/// Draws a <see cref="LineageLayout"/> as SVG markup: a box per node (kind, label, a link to its page) and a
/// line per edge. Built as text because Razor reserves <c>&lt;text&gt;</c>, the SVG element labels need.
/// </summary>
public static class LineageSvg
{
    public static string Render(LineageLayout layout)
    {
        var svg = new StringBuilder();
        Append(svg, $"<svg viewBox=\"-4 -4 {layout.Width + 8} {layout.Height + 8}\" width=\"{layout.Width + 8}\" height=\"{layout.Height + 8}\" role=\"img\" aria-label=\"Lineage\">");
        foreach (var (from, to, relation) in layout.Edges)
        {
            Append(svg, $"<line class=\"edge\" data-from=\"{Attr(from.Node.Key)}\" data-to=\"{Attr(to.Node.Key)}\" data-relation=\"{Attr(relation)}\" ");
            Append(svg, $"x1=\"{from.X + LineageLayout.NodeWidth}\" y1=\"{from.Y + LineageLayout.NodeHeight / 2}\" x2=\"{to.X}\" y2=\"{to.Y + LineageLayout.NodeHeight / 2}\"><title>{Text(relation)}</title></line>");
        }

        foreach (var placed in layout.Nodes)
        {
            var node = placed.Node;
            var label = $"<text x=\"8\" y=\"32\" class=\"label\">{Text(Short(node.Label))}</text>";
            var link = LineageLayout.Link(node);
            Append(svg, $"<g class=\"node {Attr(node.Kind)}{(placed.IsRoot ? " root" : "")}\" data-kind=\"{Attr(node.Kind)}\" data-id=\"{Attr(node.Id)}\" transform=\"translate({placed.X},{placed.Y})\">");
            Append(svg, $"<rect width=\"{LineageLayout.NodeWidth}\" height=\"{LineageLayout.NodeHeight}\" rx=\"5\"></rect>");
            Append(svg, $"<text x=\"8\" y=\"16\" class=\"kind\">{Text(node.Kind.Replace('_', ' '))}</text>");
            svg.Append(link is null ? label : $"<a href=\"{Attr(link)}\">{label}</a>");
            Append(svg, $"<title>{Text(node.Label)} ({Text(node.Id)})</title></g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Append(StringBuilder builder, FormattableString text) => builder.Append(text.ToString(CultureInfo.InvariantCulture));

    private static string Attr(string value) => HtmlEncoder.Default.Encode(value);

    private static string Text(string value) => HtmlEncoder.Default.Encode(value);

    private static string Short(string label) => label.Length <= 24 ? label : label[..23] + "…";
}
