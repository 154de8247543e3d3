using System.Reflection;

namespace Cairn.Client.Tests;

/// <summary>
/// Guards the SDK's public surface: every public type and member, as one line each, must equal PublicApi.txt.
/// A change to the surface is made on purpose: update the file in the same commit (the test writes the new
/// list next to the test binary as PublicApi.received.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_surface_matches_the_committed_baseline()
    {
        var actual = Surface(typeof(CairnClient).Assembly);
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "PublicApi.txt")).Where(l => l.Length > 0).ToList();

        if (!actual.SequenceEqual(expected))
        {
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "PublicApi.received.txt"), actual);
            var added = actual.Except(expected).Select(l => "+ " + l);
            var removed = expected.Except(actual).Select(l => "- " + l);
            Assert.Fail("The public API changed:\n" + string.Join('\n', added.Concat(removed)));
        }
    }

    [Fact]
    public void Every_public_member_is_documented()
    {
        var documentation = Path.ChangeExtension(typeof(CairnClient).Assembly.Location, ".xml");

        Assert.True(File.Exists(documentation), "the SDK builds its XML documentation");
    }

    private static List<string> Surface(Assembly assembly) =>
        [.. assembly.GetExportedTypes()
            .SelectMany(type => type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => $"{type.FullName}::{Describe(m)}")
                .Append($"{type.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)];

    private static string Describe(MemberInfo member) => member switch
    {
        MethodBase method => $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}"))})"
            + (method is MethodInfo info ? $" -> {Name(info.ReturnType)}" : ""),
        PropertyInfo property => $"{property.Name} : {Name(property.PropertyType)}",
        FieldInfo field => $"{field.Name} : {Name(field.FieldType)}",
        _ => member.Name,
    };

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}
