using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cairn.Cli.Tests;

/// <summary>Every failure, whatever threw it, is one line on stderr with the documented exit code and no stack trace.</summary>
public sealed class FailureReportingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cairn-cli-failures-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Downloading_into_a_folder_that_does_not_exist_is_a_usage_error_naming_it()
    {
        await using var server = new CairnServer();
        var run = await RunWithFileAsync(server);
        var missing = Path.Combine(_folder, "missing", "dir");

        var error = await new Cli(server.Address).FailsAsync(1, "artifacts", "get", run, "f.txt", "-o", Path.Combine(missing, "f.txt"));

        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Downloading_into_an_existing_folder_puts_the_file_there_under_its_name()
    {
        await using var server = new CairnServer();
        var run = await RunWithFileAsync(server);

        var (code, output, error) = await new Cli(server.Address).RunAsync("artifacts", "get", run, "f.txt", "-o", _folder);

        Assert.True(code == 0, error);
        Assert.Equal(Path.Combine(_folder, "f.txt"), output.Trim());
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(_folder, "f.txt")));
    }

    [Fact]
    public async Task A_cancelled_command_exits_130_with_one_line()
    {
        await using var server = new CairnServer();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var (code, output, error) = await new Cli(server.Address).RunAsync(cancelled.Token, "experiments", "list");

        Assert.Equal(130, code);
        Assert.Equal("", output);
        Assert.Equal("error: cancelled.", error.Trim());
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_a_server_error_without_a_stack_trace()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot json!");
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

        var error = await new Cli(address).FailsAsync(2, "experiments", "list");
        await answering;

        Assert.Contains("could not be read", error, StringComparison.Ordinal);
    }

    private static async Task<string> RunWithFileAsync(CairnServer server)
    {
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0", "files");
        var local = Path.Combine(Directory.CreateTempSubdirectory("cairn-cli-upload-").FullName, "f.txt");
        await File.WriteAllTextAsync(local, "hello");
        await client.Artifacts.UploadAsync(run.Id, local);
        return run.Id;
    }

    /// <summary>Reads one request's head, writes <paramref name="answer"/> and closes.</summary>
    private static async Task AnswerOnceAsync(TcpListener listener, string answer)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[8192];
        var head = "";
        while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return;
            }

            head += Encoding.ASCII.GetString(buffer, 0, read);
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(answer));
        socket.Shutdown(SocketShutdown.Both);
    }
}
