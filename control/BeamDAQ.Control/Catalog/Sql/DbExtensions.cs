using System.Data.Common;

namespace BeamDAQ.Control.Catalog.Sql;

/// <summary>Parameters and nullable columns for the shared SQL. Every value, text above all, goes in as a parameter.</summary>
internal static class DbExtensions
{
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>Reads one result row by column name, with the dialect's timestamps.</summary>
internal readonly struct Row(DbDataReader reader, SqlDialect dialect)
{
    private int Ordinal(string column) => reader.GetOrdinal(column);

    public long Int64(string column) => reader.GetInt64(Ordinal(column));
    public long? NullableInt64(string column) => reader.IsDBNull(Ordinal(column)) ? null : reader.GetInt64(Ordinal(column));
    public double Double(string column) => reader.GetDouble(Ordinal(column));
    public double? NullableDouble(string column) => reader.IsDBNull(Ordinal(column)) ? null : reader.GetDouble(Ordinal(column));
    public bool Boolean(string column) => reader.GetBoolean(Ordinal(column));
    public string String(string column) => reader.GetString(Ordinal(column));
    public string? NullableString(string column) => reader.IsDBNull(Ordinal(column)) ? null : reader.GetString(Ordinal(column));
    public DateTimeOffset Time(string column) => dialect.ReadTimestamp(reader, Ordinal(column));
    public DateTimeOffset? NullableTime(string column) => reader.IsDBNull(Ordinal(column)) ? null : dialect.ReadTimestamp(reader, Ordinal(column));
}
