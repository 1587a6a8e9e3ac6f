using System.Reflection;
using Dapper;

namespace MediConnect.Portal.Data;

/// <summary>
/// How Dapper maps rows: snake_case columns to PascalCase properties <em>and</em> to the
/// parameters of positional records, which Dapper's own underscore matching does not cover.
/// </summary>
public static class DapperConventions
{
    public static void Apply()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.TypeMapProvider = type => new SnakeCaseTypeMap(type);
    }

    sealed class SnakeCaseTypeMap(Type type) : SqlMapper.ITypeMap
    {
        readonly DefaultTypeMap _default = new(type);

        static string WithoutUnderscores(string name) => name.Replace("_", "", StringComparison.Ordinal);

        // DefaultTypeMap compares constructor parameter names ignoring case, so "file_name" becomes "filename" for "FileName".
        public ConstructorInfo? FindConstructor(string[] names, Type[] types) =>
            _default.FindConstructor([.. names.Select(WithoutUnderscores)], types);

        public ConstructorInfo? FindExplicitConstructor() => _default.FindExplicitConstructor();

        public SqlMapper.IMemberMap? GetConstructorParameter(ConstructorInfo constructor, string columnName) =>
            _default.GetConstructorParameter(constructor, WithoutUnderscores(columnName));

        public SqlMapper.IMemberMap? GetMember(string columnName) => _default.GetMember(columnName);
    }
}
