using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// One column as both stores map it. Values pass through EF's own type mappings: read in the store's provider type,
/// turned into the model's value by the store's converter (a JSON list on SQLite, an array on PostgreSQL), and
/// written in PostgreSQL's provider type. Columns both stores keep in the same type are copied without boxing.
/// </summary>
public sealed class StoreColumn
{
    private static readonly MethodInfo ReadMethod = typeof(StoreColumn).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CopyMethod = typeof(StoreColumn).GetMethod(nameof(Copy), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<DbDataReader, int, NpgsqlBinaryImporter, CancellationToken, Task> _copy;

    public StoreColumn(string name, RelationalTypeMapping source, RelationalTypeMapping target)
    {
        Name = name;
        ReadSource = ModelReader(source);
        ReadTarget = ModelReader(target);
        var storeType = target.StoreType;
        if (ProviderType(source) == ProviderType(target) && source.Converter is null && target.Converter is null)
        {
            _copy = CopyMethod.MakeGenericMethod(ProviderType(target)).CreateDelegate<Func<DbDataReader, int, NpgsqlBinaryImporter, CancellationToken, Task>>(storeType);
        }
        else
        {
            _copy = (reader, ordinal, importer, cancellationToken) => ReadSource(reader, ordinal) is { } value
                ? importer.WriteAsync(target.Converter?.ConvertToProvider(value) ?? value, storeType, cancellationToken)
                : importer.WriteNullAsync(cancellationToken);
        }
    }

    public string Name { get; }

    /// <summary>The model's value of this column in the current row of a SQLite reader.</summary>
    public Func<DbDataReader, int, object?> ReadSource { get; }

    /// <summary>The model's value of this column in the current row of a PostgreSQL reader.</summary>
    public Func<DbDataReader, int, object?> ReadTarget { get; }

    /// <summary>Writes the value at <paramref name="ordinal"/> of the SQLite row into the PostgreSQL COPY.</summary>
    public Task CopyAsync(DbDataReader source, int ordinal, NpgsqlBinaryImporter target, CancellationToken cancellationToken) =>
        _copy(source, ordinal, target, cancellationToken);

    private static Type ProviderType(RelationalTypeMapping mapping)
    {
        var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static Func<DbDataReader, int, object?> ModelReader(RelationalTypeMapping mapping)
    {
        var read = ReadMethod.MakeGenericMethod(ProviderType(mapping)).CreateDelegate<Func<DbDataReader, int, object?>>();
        return mapping.Converter is { } converter
            ? (reader, ordinal) => read(reader, ordinal) is { } value ? converter.ConvertFromProvider(value) : null
            : read;
    }

    private static object? Read<T>(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static Task Copy<T>(string storeType, DbDataReader reader, int ordinal, NpgsqlBinaryImporter importer, CancellationToken cancellationToken) =>
        reader.IsDBNull(ordinal) ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(reader.GetFieldValue<T>(ordinal), storeType, cancellationToken);
}
