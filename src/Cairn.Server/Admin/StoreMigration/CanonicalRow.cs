using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// A row in a form that does not depend on the store: each model value tagged with its kind and written in fixed
/// binary (integers as 64 bits, doubles by their bits, text as UTF-8 with its length, lists element by element),
/// so the same row read from SQLite and from PostgreSQL gives the same bytes, and any change to a value does not.
/// </summary>
public sealed class CanonicalRow
{
    private readonly ArrayBufferWriter<byte> _bytes = new(256);

    public ReadOnlySpan<byte> Bytes => _bytes.WrittenSpan;

    /// <summary>Replaces the row with the current one of <paramref name="reader"/>, read through <paramref name="read"/> (a column's source or target reader).</summary>
    public void Load(DbDataReader reader, IReadOnlyList<StoreColumn> columns, Func<StoreColumn, Func<DbDataReader, int, object?>> read)
    {
        _bytes.ResetWrittenCount();
        for (var i = 0; i < columns.Count; i++)
        {
            Append(read(columns[i])(reader, i));
        }
    }

    private void Append(object? value)
    {
        switch (value)
        {
            case null:
                Tag(0);
                break;
            case string text:
                Tag(1);
                Int64(Encoding.UTF8.GetByteCount(text));
                Encoding.UTF8.GetBytes(text, _bytes);
                break;
            case bool flag:
                Tag(2);
                Tag(flag ? (byte)1 : (byte)0);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                Tag(3);
                Int64(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float:
                Tag(4);
                Int64(BitConverter.DoubleToInt64Bits(Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                break;
            case byte[] blob:
                Tag(5);
                Int64(blob.Length);
                _bytes.Write(blob);
                break;
            case IEnumerable list:
                var items = list.Cast<object?>().ToList();
                Tag(6);
                Int64(items.Count);
                items.ForEach(Append);
                break;
            default:
                Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private void Tag(byte tag)
    {
        _bytes.GetSpan(1)[0] = tag;
        _bytes.Advance(1);
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_bytes.GetSpan(8), value);
        _bytes.Advance(8);
    }
}
