using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server for the S3 store's tests: the one <c>CAIRN_TEST_S3_URL</c> names (test.sh starts one
/// for the whole run), else a <c>moto_server</c> of its own on a free loopback port, stopped on dispose. When
/// neither can be had the tests fail, naming what is missing; they never skip.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Bucket = "cairn-tests";
    public const string AccessKey = "testing";
    public const string SecretKey = "testing";
    private Process? _process;
    private readonly List<string> _output = [];

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("CAIRN_TEST_S3_URL");
        if (!string.IsNullOrEmpty(configured))
        {
            Url = configured.TrimEnd('/');
            if (!await AnswersAsync(TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException($"CAIRN_TEST_S3_URL is {configured}, but no S3 server answers there.");
            }
        }
        else
        {
            await StartAsync();
        }

        using var s3 = CreateClient();
        try
        {
            await s3.PutBucketAsync(Bucket);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // A server CAIRN_TEST_S3_URL names may have run the tests before; every test uses a prefix of its own.
        }
    }

    public AmazonS3Client CreateClient() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        ServiceURL = Url,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    /// <summary>Server settings for an S3 store in <see cref="Bucket"/> under <paramref name="prefix"/>.</summary>
    public Dictionary<string, string?> StoreSettings(string prefix, string bucket = Bucket) => new()
    {
        ["Cairn:Artifacts:Store"] = "s3",
        ["Cairn:Artifacts:S3:Endpoint"] = Url,
        ["Cairn:Artifacts:S3:Bucket"] = bucket,
        ["Cairn:Artifacts:S3:Prefix"] = prefix,
        ["Cairn:Artifacts:S3:AccessKey"] = AccessKey,
        ["Cairn:Artifacts:S3:SecretKey"] = SecretKey,
    };

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task StartAsync()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("moto_server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        try
        {
            _process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "The S3 store's tests need an S3-compatible server: moto_server is not on PATH (it comes with the Python package moto[server]), "
                + "and CAIRN_TEST_S3_URL does not name a running one.", e);
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!await AnswersAsync(TimeSpan.FromSeconds(30)))
        {
            string output;
            lock (_output)
            {
                output = string.Join('\n', _output);
            }

            throw new InvalidOperationException($"moto_server did not answer on {Url} within 30 s:\n{output}");
        }
    }

    private async Task<bool> AnswersAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && _process is not { HasExited: true })
        {
            try
            {
                using var response = await http.GetAsync(Url);
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        return false;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Test classes that share one <see cref="MotoServer"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
