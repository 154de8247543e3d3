namespace Cairn.Server.Tracking.Runs;

/// <summary>Run names: the <c>mlflow.runName</c> tag mirrors the name; unnamed runs get a random <c>adjective-noun-NNN</c>.</summary>
public static class RunNames
{
    public const string Tag = "mlflow.runName";

    private static readonly string[] Adjectives =
    [
        "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager", "fast", "gentle", "glad",
        "keen", "kind", "lucky", "merry", "nimble", "quiet", "rare", "sharp", "shy", "silent", "steady", "swift",
    ];

    private static readonly string[] Nouns =
    [
        "owl", "fox", "lynx", "heron", "otter", "wren", "badger", "crane", "finch", "hare", "ibex", "kite",
        "lark", "mole", "newt", "orca", "panda", "quail", "raven", "seal", "stoat", "tern", "vole", "yak",
    ];

    public static string Random() =>
        $"{Adjectives[System.Random.Shared.Next(Adjectives.Length)]}-{Nouns[System.Random.Shared.Next(Nouns.Length)]}-{System.Random.Shared.Next(1000):D3}";
}
