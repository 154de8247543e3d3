using Cairn.Client.Admin;
using Cairn.Client.Artifacts;
using Cairn.Client.Experiments;
using Cairn.Client.Models;
using Cairn.Client.Runs;
using Cairn.Client.Transport;

namespace Cairn.Client;

/// <summary>
/// The Cairn SDK: one client on an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the
/// server (http://127.0.0.1:5000 by default), with a group per resource. It speaks Cairn's MLflow-compatible
/// API, so it also works against an MLflow tracking server.
/// </summary>
public sealed class CairnClient
{
    /// <summary>Where a server runs when nothing else is said.</summary>
    public static readonly Uri DefaultServer = new("http://127.0.0.1:5000/");

    /// <summary>Creates a client on <paramref name="httpClient"/>; without a base address it talks to <see cref="DefaultServer"/>.</summary>
    public CairnClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        httpClient.BaseAddress ??= DefaultServer;
        if (!httpClient.BaseAddress.AbsoluteUri.EndsWith('/'))
        {
            httpClient.BaseAddress = new Uri(httpClient.BaseAddress.AbsoluteUri + "/");
        }

        var transport = new MlflowTransport(httpClient);
        Experiments = new ExperimentsClient(transport);
        Runs = new RunsClient(transport);
        Artifacts = new ArtifactsClient(transport, Runs);
        Models = new ModelsClient(transport);
        Admin = new AdminClient(transport);
    }

    /// <summary>Experiments: create, find, search, rename, tag, delete, restore.</summary>
    public ExperimentsClient Experiments { get; }

    /// <summary>Runs: start (with a logging scope), log, read, search, end, delete, restore.</summary>
    public RunsClient Runs { get; }

    /// <summary>A run's files: list, upload and download, streamed through the server.</summary>
    public ArtifactsClient Artifacts { get; }

    /// <summary>The model registry: models, versions, stages, aliases, and the audit trail (with alias rollback).</summary>
    public ModelsClient Models { get; }

    /// <summary>Server upkeep: removing deleted runs for good.</summary>
    public AdminClient Admin { get; }
}
