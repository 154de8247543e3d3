using System.Runtime.ExceptionServices;

namespace Cairn.Bench;

/// <summary>Runs N concurrent workers; the first failure cancels the others and is rethrown.</summary>
public static class Workers
{
    public static async Task RunAsync(int count, Func<int, CancellationToken, Task> worker, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = linked.Token;
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    await worker(index, token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    await linked.CancelAsync();
                    throw;
                }
            }, CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Prefer the error that caused the stop over the cancellations it triggered.
            var errors = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var first = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            if (first is not null)
            {
                ExceptionDispatchInfo.Capture(first).Throw();
            }
            throw;
        }
    }
}
