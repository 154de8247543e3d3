namespace Cairn.Cli;

/// <summary>The <c>cairn</c> executable: Ctrl+C cancels the running command.</summary>
internal static class EntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        return await CliApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, cancel.Token);
    }
}
