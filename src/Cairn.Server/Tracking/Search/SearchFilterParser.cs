using System.Globalization;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Tracking.Search;

/// <summary>
/// Parses MLflow's search grammar: clauses joined by AND, each <c>identifier comparator value</c>. Identifiers
/// split at the first dot into entity and key; either part may be quoted with backticks or double quotes.
/// Every error is an <see cref="MlflowException"/> naming what was wrong.
/// </summary>
public sealed class SearchFilterParser
{
    private readonly string _text;
    private int _position;
    private string _what = "filter";

    private SearchFilterParser(string text) => _text = text;

    public static IReadOnlyList<SearchClause> ParseFilter(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var parser = new SearchFilterParser(filter);
        var clauses = new List<SearchClause> { parser.Clause() };
        while (true)
        {
            parser.SkipSpace();
            if (parser.AtEnd)
            {
                return clauses;
            }

            if (!parser.TryKeyword("AND"))
            {
                throw parser.Error($"expected 'AND' or the end of the filter at position {parser._position}, found '{parser.Rest()}'");
            }

            clauses.Add(parser.Clause());
        }
    }

    public static OrderTerm ParseOrderBy(string? orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            throw MlflowException.InvalidParameter("Invalid order_by clause: an entry is empty. Use 'identifier [ASC|DESC]'.");
        }

        var parser = new SearchFilterParser(orderBy) { _what = "order_by clause" };
        parser.SkipSpace();
        var (entity, key) = parser.Identifier();
        parser.SkipSpace();
        var ascending = true;
        if (parser.TryKeyword("DESC"))
        {
            ascending = false;
        }
        else
        {
            parser.TryKeyword("ASC");
        }

        parser.SkipSpace();
        return parser.AtEnd
            ? new OrderTerm(entity, key, ascending)
            : throw MlflowException.InvalidParameter($"Invalid order_by clause '{orderBy}': unexpected '{parser.Rest()}'. Use 'identifier [ASC|DESC]'.");
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private SearchClause Clause()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Error("a clause is missing after 'AND'");
        }

        var (entity, key) = Identifier();
        SkipSpace();
        var comparator = Comparator();
        SkipSpace();
        var value = Value(comparator);
        return new SearchClause(entity, key, comparator, value);
    }

    private (SearchEntity Entity, string Key) Identifier()
    {
        var first = IdentifierPart(stopAtDot: true, out _);
        if (!AtEnd && Current == '.')
        {
            _position++;
            var key = IdentifierPart(stopAtDot: false, out _);
            return (EntityOf(first), key);
        }

        return (SearchEntity.Attribute, first);
    }

    private string IdentifierPart(bool stopAtDot, out bool quoted)
    {
        quoted = false;
        if (AtEnd)
        {
            throw Error("expected an identifier at the end of the filter");
        }

        if (Current is '`' or '"')
        {
            quoted = true;
            return Quoted(Current);
        }

        var start = _position;
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('=' or '!' or '<' or '>' or '(' or ')' or '\'' or ',') && !(stopAtDot && Current == '.'))
        {
            _position++;
        }

        return _position > start
            ? _text[start.._position]
            : throw Error($"expected an identifier at position {start}, found '{Rest()}'");
    }

    private static SearchEntity EntityOf(string name) => name.ToLowerInvariant() switch
    {
        "metric" or "metrics" => SearchEntity.Metric,
        "param" or "params" or "parameter" or "parameters" => SearchEntity.Param,
        "tag" or "tags" => SearchEntity.Tag,
        "attribute" or "attributes" or "attr" or "run" => SearchEntity.Attribute,
        "dataset" or "datasets" => SearchEntity.Dataset,
        _ => throw MlflowException.InvalidParameter(
            $"Invalid entity type '{name}'. Valid values are ['metric', 'metrics', 'parameter', 'parameters', 'param', 'params', 'tag', 'tags', 'attribute', 'attributes', 'attr', 'run', 'dataset', 'datasets']."),
    };

    private string Comparator()
    {
        foreach (var symbol in (ReadOnlySpan<string>)["!=", ">=", "<=", "<>", "=", ">", "<"])
        {
            if (string.CompareOrdinal(_text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return symbol == "<>" ? "!=" : symbol;
            }
        }

        if (TryKeyword("NOT"))
        {
            SkipSpace();
            return TryKeyword("IN") ? "NOT IN" : throw Error("expected 'IN' after 'NOT'");
        }

        foreach (var word in (ReadOnlySpan<string>)["LIKE", "ILIKE", "IN"])
        {
            if (TryKeyword(word))
            {
                return word;
            }
        }

        throw Error(AtEnd ? "a comparator is missing at the end of the filter" : $"invalid comparator at '{Rest()}'");
    }

    private SearchValue Value(string comparator)
    {
        if (AtEnd)
        {
            throw Error($"a value is missing after '{comparator}'");
        }

        if (Current == '(')
        {
            return List();
        }

        if (Current is '\'' or '"')
        {
            return new SearchValue.Text(Quoted(Current));
        }

        var start = _position;
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('(' or ')' or ','))
        {
            _position++;
        }

        var literal = _text[start.._position];
        return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? new SearchValue.Number(number, literal)
            : throw Error($"'{literal}' is not a valid value: quote strings with single quotes, write numbers bare");
    }

    private SearchValue.List List()
    {
        _position++;
        var values = new List<string>();
        while (true)
        {
            SkipSpace();
            if (AtEnd)
            {
                throw Error("the list is missing its closing ')'");
            }

            if (Current is not ('\'' or '"'))
            {
                throw Error($"list values must be quoted strings, found '{Rest()}'");
            }

            values.Add(Quoted(Current));
            SkipSpace();
            if (!AtEnd && Current == ',')
            {
                _position++;
                continue;
            }

            if (!AtEnd && Current == ')')
            {
                _position++;
                return new SearchValue.List(values);
            }

            throw Error("expected ',' or ')' in the list");
        }
    }

    private string Quoted(char quote)
    {
        var start = ++_position;
        var builder = new System.Text.StringBuilder();
        while (!AtEnd)
        {
            if (Current == quote)
            {
                if (_position + 1 < _text.Length && _text[_position + 1] == quote)
                {
                    builder.Append(quote);
                    _position += 2;
                    continue;
                }

                _position++;
                return builder.ToString();
            }

            builder.Append(Current);
            _position++;
        }

        throw Error($"the string starting at position {start - 1} has no closing {quote}");
    }

    private bool TryKeyword(string keyword)
    {
        if (_position + keyword.Length > _text.Length
            || string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var end = _position + keyword.Length;
        if (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            return false;
        }

        _position = end;
        return true;
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }
    }

    private string Rest() => _text[_position..];

    private MlflowException Error(string what) =>
        MlflowException.InvalidParameter($"Invalid {_what} '{_text}': {what}.");
}
