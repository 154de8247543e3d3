using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Cairn.Server.Tests.Deploy;

/// <summary>The Kubernetes manifests in <c>deploy/kubernetes</c>, as JSON objects with every scalar a string.</summary>
internal sealed class Manifests
{
    public const string Folder = "deploy/kubernetes";

    private Manifests(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public JsonObject Deployment => Single("Deployment");

    public JsonObject Pod => Deployment["spec"]!["template"]!.AsObject();

    public JsonObject Container => Assert.Single(Pod["spec"]!["containers"]!.AsArray())!.AsObject();

    public JsonObject HttpPort => Container["ports"]!.AsArray().Single(port => Text(port!["name"]) == "http")!.AsObject();

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, Folder), "*.yaml").Where(file => Path.GetFileName(file) != "kustomization.yaml");

    public static Manifests Load() => new(Files().SelectMany(file => Parse(File.ReadAllText(file))).ToList());

    public static IEnumerable<JsonObject> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(deserializer.Deserialize<object?>(parser)) is JsonObject document)
            {
                yield return document;
            }
        }
    }

    public JsonObject Single(string kind) => Assert.Single(Objects, o => Text(o["kind"]) == kind);

    public static string? Text(JsonNode? node) => node?.GetValue<string>();

    /// <summary>The keys of a map, such as a ConfigMap's <c>data</c>; none when it is absent.</summary>
    public static IEnumerable<string> Keys(JsonNode? map) => map?.AsObject().Select(pair => pair.Key) ?? [];

    /// <summary>Whether every label of <paramref name="selector"/> is on <paramref name="labels"/> with the same value.</summary>
    public static bool Selects(JsonNode? selector, JsonNode? labels) =>
        selector is JsonObject wanted && wanted.Count > 0 && wanted.All(pair => Text(labels?[pair.Key]) == Text(pair.Value));

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(pair => KeyValuePair.Create(pair.Key.ToString()!, ToJson(pair.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
